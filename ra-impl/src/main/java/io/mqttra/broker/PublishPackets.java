package io.mqttra.broker;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import java.util.HashMap;
import java.util.Map;

/**
 * The PUBLISH packets for the connection a session is attached to, within what its CONNECT allowed:
 * MQTT 5 properties or none, its Maximum Packet Size, and the topic aliases it accepts. A new one for
 * every connection, as aliases do not carry over [MQTT-3.3.2-7]. Not thread-safe: used under the
 * {@link Outbox}'s monitor.
 */
final class PublishPackets {

    /** Bytes the Topic Alias property adds to a packet: identifier and two-byte value. */
    private static final int ALIAS_PROPERTY_BYTES = 3;

    private final ConnectionLimits limits;
    private final Map<String, Integer> aliases = new HashMap<>();

    PublishPackets(ConnectionLimits limits) {
        this.limits = limits;
    }

    /** Unacknowledged QoS 1/2 PUBLISH packets the client accepts at once. */
    int receiveMaximum() {
        return limits.receiveMaximum();
    }

    /** The MQTT 5 properties of the PUBLISH for this client (none for MQTT 3.x); computed once per send. */
    MqttProperties properties(PublishedMessage message, Delivery delivery) {
        return limits.mqtt5()
                ? Mqtt5PropertiesCodec.forSubscriber(message, System.currentTimeMillis(), delivery.subscriptionIds())
                : MqttProperties.NO_PROPERTIES;
    }

    /**
     * Why the packet is larger than the client's Maximum Packet Size, or null when it fits. A packet
     * that does not fit is not sent to this client [MQTT-3.1.2-25].
     */
    String oversize(PublishedMessage message, int qos, MqttProperties properties) {
        if (limits.maximumPacketSize() == Integer.MAX_VALUE) {
            return null;
        }
        int aliasProperty = limits.topicAliasMaximum() > 0 ? ALIAS_PROPERTY_BYTES : 0;
        int size = aliasProperty + PacketSizes.publish(message.topic(), message.payload().length, qos, properties,
                limits.mqtt5());
        return size <= limits.maximumPacketSize() ? null
                : "packet of " + size + " bytes exceeds the client's Maximum Packet Size " + limits.maximumPacketSize();
    }

    /**
     * The PUBLISH packet; a first send names its topic by an alias where the client accepts aliases
     * [MQTT-3.3.2-11], a resend ({@code dup}) always by its name.
     */
    MqttPublishMessage publish(PublishedMessage message, Delivery delivery, int packetId, boolean dup,
                               MqttProperties properties) {
        MqttProperties props = properties;
        String topic = message.topic();
        if (limits.mqtt5() && limits.topicAliasMaximum() > 0 && !dup) {
            Integer alias = aliases.get(topic);
            if (alias != null) {
                topic = ""; // the alias alone names the topic [MQTT-3.3.2-12]
            } else if (aliases.size() < limits.topicAliasMaximum()) {
                alias = aliases.size() + 1;
                aliases.put(topic, alias);
            }
            if (alias != null) {
                props = withAlias(props, alias);
            }
        }
        return Packets.publish(topic, message.payload(), delivery.qos(), delivery.retain(), dup, packetId, props);
    }

    private static MqttProperties withAlias(MqttProperties props, int alias) {
        MqttProperties copy = new MqttProperties();
        props.listAll().forEach(p -> copy.add(p));
        copy.add(new IntegerProperty(MqttPropertyType.TOPIC_ALIAS.value(), alias));
        return copy;
    }
}
