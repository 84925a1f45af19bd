package io.mqttra.broker;

import io.mqttra.api.MqttTopics;
import io.mqttra.broker.Packets.ReasonCode;
import io.mqttra.broker.PublishedMessage.Mqtt5Properties;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import java.util.logging.Logger;

/**
 * What a PUBLISH from the client does (MQTT 5.0 section 3.3.4): its topic is resolved and checked, the
 * message is routed to the matching subscriptions, and QoS 1/2 is acknowledged in order. One per
 * connection, confined to its event loop.
 */
final class PublishActions {

    private static final Logger LOG = Logger.getLogger(PublishActions.class.getName());
    private static final RateLimitedLog DENIALS = new RateLimitedLog(LOG, 10_000);
    private static final byte NOT_AUTHORIZED = (byte) 0x87;
    private static final MessageRouter.Routing NOT_ROUTED = new MessageRouter.Routing(0, null);

    private final ChannelHandlerContext ctx;
    private final ClientSession session;
    private final ClientIdentity publisher;
    private final Authorizer authorizer;
    private final boolean v5;
    private final MqttBroker broker;
    /** Only for MQTT 5 connections. */
    private final InboundTopicAliases aliases;
    private final PublishAcknowledgements acks;

    PublishActions(ChannelHandlerContext ctx, ClientSession session, ClientIdentity publisher, boolean v5, MqttBroker broker) {
        this.ctx = ctx;
        this.session = session;
        this.publisher = publisher;
        this.authorizer = broker.authorizer();
        this.v5 = v5;
        this.broker = broker;
        this.aliases = v5 ? new InboundTopicAliases(broker.config().topicAliasMaximum()) : null;
        this.acks = new PublishAcknowledgements(ctx, session, v5 ? 0 : broker.config().mqtt3ReceiveMaximum(), broker.stats());
    }

    void publish(MqttPublishMessage publish) throws ProtocolViolation {
        String topic = publish.variableHeader().topicName();
        MqttProperties props = publish.variableHeader().properties();
        if (v5) {
            if (props.getProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value()) != null) {
                throw new ProtocolViolation("PUBLISH from a client carries a Subscription Identifier [MQTT-3.3.4-6]");
            }
            Integer alias = Mqtt5PropertiesCodec.intValue(props, MqttPropertyType.TOPIC_ALIAS);
            if (alias != null) {
                topic = aliases.resolve(topic, alias);
            }
        }
        String problem = MqttTopics.topicNameProblem(topic);
        if (problem == null) {
            problem = TopicLimits.problem(topic, broker.config());
        }
        if (problem != null) {
            // [MQTT-3.3.2-2] wildcards or an empty topic in PUBLISH end the connection
            throw new ProtocolViolation(ReasonCode.TOPIC_NAME_INVALID, problem);
        }
        int qos = publish.fixedHeader().qosLevel().value();
        int packetId = publish.variableHeader().packetId();
        broker.stats().messagesReceived.increment();
        if (qos > 0) {
            checkReceiveMaximum(qos, packetId);
        }
        if (!mayPublish(authorizer, session.clientId(), publisher, topic)) {
            deny(topic, qos, packetId);
            return;
        }
        PublishedMessage message = new PublishedMessage(topic, ByteBufUtil.getBytes(publish.content()), qos,
                publish.fixedHeader().isRetain(), session.clientId(), publisher.name(), System.currentTimeMillis(),
                v5 ? Mqtt5PropertiesCodec.fromPublish(props) : Mqtt5Properties.NONE, publisher.roles());
        switch (qos) {
            case 0 -> broker.router().route(message);
            case 1 -> {
                // routed first: once PUBACK is sent the message is in every matching subscription's queue
                MessageRouter.Routing routing = broker.router().route(message);
                acks.acknowledge(routing,
                        Packets.pubAck(packetId, routing.receivers() == 0 ? Packets.NO_MATCHING_SUBSCRIBERS : (byte) 0));
            }
            default -> {
                boolean first = session.receiveQos2(packetId);
                MessageRouter.Routing routing = first ? broker.router().route(message) : new MessageRouter.Routing(1, null);
                acks.acknowledge(routing,
                        Packets.pubRec(packetId, routing.receivers() == 0 ? Packets.NO_MATCHING_SUBSCRIBERS : (byte) 0),
                        first ? packetId : 0);
            }
        }
    }

    /**
     * Refuses a QoS 1/2 message beyond what the client may leave unfinished. An MQTT 5 client may have
     * no more than the Receive Maximum the broker announced without PUBACK or PUBCOMP [MQTT-3.3.4-7]:
     * one more is answered DISCONNECT 0x93 (section 3.2.2.3.3). An MQTT 3.x client was told no limit, so
     * it is held to {@code mqtt3ReceiveMaximum} QoS 2 messages it has not released after PUBREC (as
     * Mosquitto holds it to its max_inflight_messages): those only it can finish, so pausing its reads would
     * not help, and one more closes the connection. Its acknowledgements waiting for storage pause its
     * reads instead (see {@link PublishAcknowledgements}).
     */
    private void checkReceiveMaximum(int qos, int packetId) throws ProtocolViolation {
        if (qos == 2 && session.isReceivingQos2(packetId)) {
            return; // a resend of one that counts already [MQTT-4.3.3-9]
        }
        String exceeded = null;
        if (v5) {
            int max = broker.config().maxInflightPerClient();
            if (session.receivingQos2() + acks.waitingInFlight() >= max) {
                exceeded = "more than " + max + " QoS 1/2 messages without PUBACK or PUBCOMP [MQTT-3.3.4-7]";
            }
        } else if (qos == 2) {
            int max = broker.config().mqtt3ReceiveMaximum();
            if (session.receivingQos2() - acks.waitingReceipts() >= max) {
                exceeded = "more than " + max + " QoS 2 messages without PUBREL (mqtt3ReceiveMaximum)";
            }
        }
        if (exceeded != null) {
            broker.stats().receiveMaximumExceeded.increment();
            throw new ProtocolViolation(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, exceeded);
        }
    }

    /**
     * {@code $SYS} belongs to the broker whatever the rules say; the rest is up to the authorizer.
     * Wills are checked with this too.
     */
    static boolean mayPublish(Authorizer authorizer, String clientId, ClientIdentity who, String topic) {
        return !SysTopics.isSysTopic(topic) && authorizer.mayPublish(clientId, who, topic);
    }

    /**
     * A refused message is dropped. MQTT 5 clients are told 0x87; a 3.x client is acknowledged as if
     * it had been accepted [MQTT-3.3.5-2], or disconnected when the operator asked for that.
     */
    private void deny(String topic, int qos, int packetId) {
        broker.stats().publishesDenied.increment();
        DENIALS.info(() -> "Client " + session.clientId() + " (" + publisher + ") may not publish to " + topic);
        if (!v5 && broker.config().disconnectOnDeniedPublish()) {
            ctx.close();
        } else if (qos == 1) {
            acks.acknowledge(NOT_ROUTED, Packets.pubAck(packetId, v5 ? NOT_AUTHORIZED : (byte) 0));
        } else if (qos == 2) {
            acks.acknowledge(NOT_ROUTED, Packets.pubRec(packetId, v5 ? NOT_AUTHORIZED : (byte) 0));
        }
    }
}
