package io.mqttra.broker;

import io.mqttra.api.MqttTopics;
import io.mqttra.broker.PublishedMessage.Mqtt5Properties;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.UUID;

/**
 * Decides what the broker answers to a CONNECT, from the packet, the configuration and the number of
 * connected clients: a refusal with its CONNACK code, a protocol violation that closes the connection
 * without CONNACK, or the terms of the accepted connection. It only decides; the connection handler
 * opens the session, watches the keep-alive and writes the CONNACK.
 */
final class ConnectNegotiation {

    /** Prefix of the identifiers the broker assigns to clients that connect without one [MQTT-3.1.3-6]. */
    static final String ASSIGNED_ID_PREFIX = "mqttra-";

    /** What the broker answers: {@link Refused}, {@link Violation} or {@link Accepted}. */
    sealed interface Outcome permits Refused, Violation, Accepted {
    }

    /**
     * Refused with a CONNACK carrying {@code code}, then closed.
     *
     * @param why for the log
     * @param connectionLimitReached whether {@code maxConnections} was reached (a refused connection in the statistics)
     */
    record Refused(MqttConnectReturnCode code, String why, boolean connectionLimitReached) implements Outcome {
    }

    /** The CONNECT breaks the protocol: the connection closes without CONNACK. */
    record Violation(String why) implements Outcome {
    }

    /**
     * The terms of an accepted connection.
     *
     * @param clientIdAssigned whether the broker chose the client identifier (MQTT 5 clients are told it)
     * @param will the will message, or {@code null}
     * @param willDelaySeconds MQTT 5 Will Delay Interval (0 for 3.x)
     * @param expirySeconds the session expiry the broker uses, after capping to {@code maxSessionExpirySeconds}
     * @param expiryWasZero whether the CONNECT asked for expiry 0, which a DISCONNECT may not raise [MQTT-3.14.2-2]
     * @param keepAliveSeconds the keep-alive the broker holds the client to (0: none)
     * @param connAckProperties the MQTT 5 CONNACK properties (none for 3.x)
     */
    record Accepted(MqttVersion version, String clientId, boolean clientIdAssigned, boolean cleanStart, String userName,
                    PublishedMessage will, long willDelaySeconds, long expirySeconds, boolean expiryWasZero,
                    ConnectionLimits limits, int keepAliveSeconds, MqttProperties connAckProperties) implements Outcome {

        boolean mqtt5() {
            return version == MqttVersion.MQTT_5;
        }
    }

    private ConnectNegotiation() {
    }

    /**
     * The first check that fails decides the answer: authentication method, connection limit, client
     * identifier, will, then the MQTT 5 limits.
     */
    static Outcome negotiate(MqttConnectMessage connect, BrokerConfig config, int connectedClients) {
        MqttConnectVariableHeader header = connect.variableHeader();
        MqttConnectPayload payload = connect.payload();
        MqttVersion version = MqttVersion.fromProtocolNameAndLevel(header.name(), (byte) header.version());
        boolean v5 = version == MqttVersion.MQTT_5;
        MqttProperties connectProps = header.properties();

        if (v5 && connectProps.getProperty(MqttPropertyType.AUTHENTICATION_METHOD.value()) != null) {
            // enhanced authentication (AUTH exchanges) is not offered [MQTT-4.12.0-1]
            return new Refused(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD,
                    "enhanced authentication requested", false);
        }
        if (connectedClients >= config.maxConnections()) {
            return new Refused(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_QUOTA_EXCEEDED
                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                    "maxConnections (" + config.maxConnections() + ") reached", true);
        }
        String clientId = payload.clientIdentifier();
        if (clientId != null && clientId.length() > config.maxClientIdLength()) {
            return new Refused(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                    : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                    "client identifier longer than maxClientIdLength (" + config.maxClientIdLength() + ")", false);
        }
        boolean assignedId = false;
        if (clientId == null || clientId.isEmpty()) {
            if (!header.isCleanSession() && !v5) {
                // [MQTT-3.1.3-8] a zero-byte client id needs a clean session
                return new Refused(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                        "empty client identifier with cleanSession=0", false);
            }
            clientId = ASSIGNED_ID_PREFIX + UUID.randomUUID();
            assignedId = true;
        }
        String userName = payload.userName();

        PublishedMessage will = null;
        long willDelaySeconds = 0;
        if (header.isWillFlag()) {
            if (header.willQos() > 2) {
                return new Violation("will QoS 3 [MQTT-3.1.2-14]");
            }
            String problem = MqttTopics.topicNameProblem(payload.willTopic());
            if (problem != null) {
                return new Violation("invalid will topic: " + problem);
            }
            String limit = TopicLimits.problem(payload.willTopic(), config);
            if (limit != null) {
                // the limits a PUBLISH is held to hold for the will, which is published later
                return v5 ? new Refused(MqttConnectReturnCode.CONNECTION_REFUSED_TOPIC_NAME_INVALID, "will topic " + limit, false)
                        : new Violation("will topic " + limit);
            }
            MqttProperties willProps = payload.willProperties();
            will = new PublishedMessage(payload.willTopic(), payload.willMessageInBytes(), header.willQos(),
                    header.isWillRetain(), clientId, userName, System.currentTimeMillis(),
                    v5 ? Mqtt5PropertiesCodec.fromPublish(willProps) : Mqtt5Properties.NONE);
            Integer delay = v5 ? Mqtt5PropertiesCodec.intValue(willProps, MqttPropertyType.WILL_DELAY_INTERVAL) : null;
            willDelaySeconds = delay == null ? 0 : Integer.toUnsignedLong(delay);
        }

        long expirySeconds;
        ConnectionLimits limits;
        if (v5) {
            Integer expiry = Mqtt5PropertiesCodec.intValue(connectProps, MqttPropertyType.SESSION_EXPIRY_INTERVAL);
            expirySeconds = expiry == null ? 0 : Integer.toUnsignedLong(expiry);
            Integer receiveMax = Mqtt5PropertiesCodec.intValue(connectProps, MqttPropertyType.RECEIVE_MAXIMUM);
            Integer maxPacket = Mqtt5PropertiesCodec.intValue(connectProps, MqttPropertyType.MAXIMUM_PACKET_SIZE);
            Integer aliasMax = Mqtt5PropertiesCodec.intValue(connectProps, MqttPropertyType.TOPIC_ALIAS_MAXIMUM);
            if ((receiveMax != null && receiveMax == 0) || (maxPacket != null && maxPacket == 0)) {
                // Receive Maximum and Maximum Packet Size of 0 are protocol errors (MQTT 5.0 section 3.1.2.11)
                return new Refused(MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR,
                        "Receive Maximum or Maximum Packet Size of 0", false);
            }
            // the aliases the broker sets are a map of topics it keeps per connection: no more than it lets clients set
            limits = new ConnectionLimits(true, receiveMax == null ? 65_535 : receiveMax,
                    maxPacket == null ? Integer.MAX_VALUE : (int) Math.min(Integer.toUnsignedLong(maxPacket), Integer.MAX_VALUE),
                    aliasMax == null ? 0 : Math.min(aliasMax, config.topicAliasMaximum()));
        } else {
            expirySeconds = header.isCleanSession() ? 0 : config.mqtt3SessionExpirySeconds();
            limits = ConnectionLimits.unlimited(config.maxInflightPerClient());
        }
        boolean expiryWasZero = expirySeconds == 0;
        Long cappedExpiry = null;
        if (expirySeconds > config.maxSessionExpirySeconds()) {
            expirySeconds = config.maxSessionExpirySeconds();
            cappedExpiry = expirySeconds; // MQTT 5 clients are told the interval the broker uses (section 3.2.2.3.2)
        }

        int keepAlive = header.keepAliveTimeSeconds();
        Integer serverKeepAlive = null;
        if ((keepAlive == 0 || keepAlive > config.maxKeepAliveSeconds())
                && config.maxKeepAliveSeconds() < BrokerConfig.DEFAULT_MAX_KEEP_ALIVE) {
            // MQTT 5 clients are told to use this one [MQTT-3.2.2-21]; 3.x clients are held to it too
            keepAlive = config.maxKeepAliveSeconds();
            serverKeepAlive = keepAlive;
        }

        MqttProperties connAckProps = v5
                ? connAckProperties(config, assignedId ? clientId : null, cappedExpiry, serverKeepAlive)
                : MqttProperties.NO_PROPERTIES;
        return new Accepted(version, clientId, assignedId, header.isCleanSession(), userName, will, willDelaySeconds,
                expirySeconds, expiryWasZero, limits, keepAlive, connAckProps);
    }

    /** The server's limits and features (MQTT 5.0 section 3.2.2.3), and what the broker chose for the client. */
    private static MqttProperties connAckProperties(BrokerConfig config, String assignedId, Long cappedExpiry,
                                                    Integer serverKeepAlive) {
        MqttProperties props = new MqttProperties();
        if (assignedId != null) {
            props.add(new StringProperty(MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value(), assignedId));
        }
        props.add(new IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), config.maxPacketSize()));
        props.add(new IntegerProperty(MqttPropertyType.RECEIVE_MAXIMUM.value(), config.maxInflightPerClient()));
        props.add(new IntegerProperty(MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value(), config.topicAliasMaximum()));
        props.add(new IntegerProperty(MqttPropertyType.RETAIN_AVAILABLE.value(), 1));
        props.add(new IntegerProperty(MqttPropertyType.WILDCARD_SUBSCRIPTION_AVAILABLE.value(), 1));
        props.add(new IntegerProperty(MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE.value(), 1));
        props.add(new IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE.value(), 1));
        if (cappedExpiry != null) {
            props.add(new IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), (int) cappedExpiry.longValue()));
        }
        if (serverKeepAlive != null) {
            props.add(new IntegerProperty(MqttPropertyType.SERVER_KEEP_ALIVE.value(), serverKeepAlive));
        }
        return props;
    }
}
