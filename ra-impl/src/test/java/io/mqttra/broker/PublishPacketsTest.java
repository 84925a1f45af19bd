package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.mqttra.broker.PublishedMessage.Mqtt5Properties;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PUBLISH packets for one connection, within what its CONNECT allowed, built without a network. */
class PublishPacketsTest {

    private static final Delivery QOS1 = new Delivery(1, false, false, List.of());

    private static PublishedMessage message(String topic, int payloadBytes) {
        return new PublishedMessage(topic, new byte[payloadBytes], 1, false, "pub", null, System.currentTimeMillis(),
                Mqtt5Properties.NONE);
    }

    private static Object alias(MqttPublishMessage packet) {
        MqttProperties.MqttProperty<?> p = packet.variableHeader().properties().getProperty(MqttPropertyType.TOPIC_ALIAS.value());
        return p == null ? null : p.value();
    }

    private static MqttPublishMessage publish(PublishPackets packets, PublishedMessage m, boolean dup) {
        MqttPublishMessage packet = packets.publish(m, QOS1, 1, dup, packets.properties(m, QOS1));
        packet.release();
        return packet;
    }

    @Test
    void topicAliasesAreGivenUpToTheClientsMaximumAndThenUsedAlone_MQTT_3_3_2_11() {
        PublishPackets packets = new PublishPackets(new ConnectionLimits(true, 10, Integer.MAX_VALUE, 1));
        MqttPublishMessage first = publish(packets, message("a", 1), false);
        assertEquals("a", first.variableHeader().topicName());
        assertEquals(1, alias(first));
        MqttPublishMessage second = publish(packets, message("a", 1), false);
        assertEquals("", second.variableHeader().topicName());
        assertEquals(1, alias(second));
        MqttPublishMessage other = publish(packets, message("b", 1), false);
        assertEquals("b", other.variableHeader().topicName());
        assertNull(alias(other));
    }

    @Test
    void resendsNameTheirTopic() {
        PublishPackets packets = new PublishPackets(new ConnectionLimits(true, 10, Integer.MAX_VALUE, 5));
        publish(packets, message("a", 1), false);
        MqttPublishMessage resend = publish(packets, message("a", 1), true);
        assertEquals("a", resend.variableHeader().topicName());
        assertNull(alias(resend));
    }

    @Test
    void noAliasesForAClientThatAcceptsNone() {
        PublishPackets packets = new PublishPackets(new ConnectionLimits(true, 10, Integer.MAX_VALUE, 0));
        publish(packets, message("a", 1), false);
        assertNull(alias(publish(packets, message("a", 1), false)));
    }

    @Test
    void mqtt311PacketsHaveNoProperties() {
        PublishPackets packets = new PublishPackets(ConnectionLimits.unlimited(10));
        assertSame(MqttProperties.NO_PROPERTIES, packets.properties(message("a", 1), QOS1));
    }

    @Test
    void packetLargerThanTheClientsMaximumIsNamed_MQTT_3_1_2_25() {
        PublishPackets packets = new PublishPackets(new ConnectionLimits(true, 10, 100, 0));
        PublishedMessage small = message("t", 50);
        PublishedMessage big = message("t", 200);
        assertNull(packets.oversize(small, 1, packets.properties(small, QOS1)));
        assertNotNull(packets.oversize(big, 1, packets.properties(big, QOS1)));
        assertNull(new PublishPackets(ConnectionLimits.unlimited(10)).oversize(big, 1, MqttProperties.NO_PROPERTIES));
    }
}
