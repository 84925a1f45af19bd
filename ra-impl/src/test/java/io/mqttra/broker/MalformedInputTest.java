package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Packets that break the wire format close the connection that sent them (MQTT 5.0 section 4.13):
 * MQTT 5 clients first get a DISCONNECT saying why, 3.x clients just see the socket close. After each
 * case another client still gets its messages through.
 */
class MalformedInputTest {

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension(BrokerConfig.builder().connectTimeoutMillis(1000));

    @AfterEach
    void brokerStillServesOthers() throws Exception {
        MqttClient c = new MqttClient(broker.uri(), "survivor", new MemoryPersistence());
        c.connect();
        java.util.concurrent.BlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
        c.subscribe("alive", 1, (t, m) -> got.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
        c.publish("alive", "yes".getBytes(StandardCharsets.UTF_8), 1, false);
        assertEquals("yes", got.poll(5, TimeUnit.SECONDS));
        c.disconnect();
        c.close();
    }

    private RawMqttClient connected311() throws Exception {
        RawMqttClient c = new RawMqttClient(broker.address());
        c.connect("bad-" + System.nanoTime());
        assertEquals(RawMqttClient.CONNACK, c.read().type());
        return c;
    }

    private RawMqttClient connected5() throws Exception {
        RawMqttClient c = new RawMqttClient(broker.address());
        c.connect5("bad5-" + System.nanoTime(), true, RawMqttClient.props());
        assertEquals(RawMqttClient.CONNACK, c.read().type());
        return c;
    }

    private static byte[] publishBody(byte[] topicBytes) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(topicBytes.length >> 8);
        b.write(topicBytes.length);
        b.writeBytes(topicBytes);
        b.writeBytes("payload".getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    @Test
    void invalidUtf8InATopicNameCloses_MQTT_1_5_4_1() throws Exception {
        try (RawMqttClient c = connected311()) {
            c.sendPacket(0x30, publishBody(new byte[] {'a', '/', (byte) 0xC3, (byte) 0x28}));
            c.awaitClose(2000);
        }
    }

    @Test
    void utf8EncodedSurrogateInATopicNameCloses_MQTT_1_5_4_1() throws Exception {
        try (RawMqttClient c = connected311()) {
            c.sendPacket(0x30, publishBody(new byte[] {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80}));
            c.awaitClose(2000);
        }
    }

    @Test
    void nulCharacterInATopicNameCloses_MQTT_1_5_4_2() throws Exception {
        try (RawMqttClient c = connected311()) {
            c.sendPacket(0x30, publishBody(new byte[] {'a', 0, 'b'}));
            c.awaitClose(2000);
        }
    }

    @Test
    void mqtt5ClientIsToldMalformedPacket0x81() throws Exception {
        try (RawMqttClient c = connected5()) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(publishBody(new byte[] {'x', (byte) 0xFF}));
            c.sendPacket(0x30, b.toByteArray());
            assertEquals(0x81, c.readDisconnectReason());
            c.awaitClose(2000);
        }
    }

    @Test
    void subscribeWithReservedFlagsCloses_MQTT_3_8_1_1() throws Exception {
        try (RawMqttClient c = connected311()) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.write(0);
            b.write(1);
            RawMqttClient.writeString(b, "a/b");
            b.write(1);
            c.sendPacket(0x80, b.toByteArray()); // flags 0000 instead of 0010
            c.awaitClose(2000);
        }
    }

    @Test
    void pingreqWithFlagsSetCloses_MQTT_2_2_2_2() throws Exception {
        try (RawMqttClient c = connected311()) {
            c.send(new byte[] {(byte) 0xC1, 0});
            c.awaitClose(2000);
        }
    }

    @Test
    void publishWithQos3Closes_MQTT_3_3_1_4() throws Exception {
        try (RawMqttClient c = connected311()) {
            c.sendPacket(0x36, publishBody("a".getBytes(StandardCharsets.US_ASCII)));
            c.awaitClose(2000);
        }
    }

    @Test
    void subscribeWithQos3Closes_MQTT_3_8_3_4() throws Exception {
        try (RawMqttClient c = connected311()) {
            c.subscribe(1, "a/b", 3);
            c.awaitClose(2000);
        }
    }

    @Test
    void qos0PublishWithDupCloses_MQTT_3_3_1_2() throws Exception {
        try (RawMqttClient c = connected311()) {
            c.sendPacket(0x38, publishBody("a".getBytes(StandardCharsets.US_ASCII)));
            c.awaitClose(2000);
        }
    }

    @Test
    void subscriptionOptionsWithReservedBitsClose_MQTT_3_8_3_5() throws Exception {
        try (RawMqttClient c = connected5()) {
            c.subscribe5(1, RawMqttClient.props(), "a/b", 0xC1);
            assertEquals(0x81, c.readDisconnectReason());
        }
    }

    @Test
    void stringLongerThanItsPacketCloses() throws Exception {
        try (RawMqttClient c = connected311()) {
            // topic length 200 in a packet of 10 bytes
            c.sendPacket(0x30, new byte[] {0, (byte) 200, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'});
            c.awaitClose(2000);
        }
    }

    @Test
    void truncatedPacketThenSilenceIsClosedByTheKeepAlive() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("truncated", true, 1, 4);
            c.read();
            c.send(new byte[] {0x30, 100, 0, 3, 'a', '/', 'b'}); // announces 100 bytes, sends 5
            c.awaitClose(4000);
        }
    }

    @Test
    void connectWithReservedFlagSetCloses_MQTT_3_1_2_3() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            RawMqttClient.writeString(b, "MQTT");
            b.write(4);
            b.write(0x03); // clean session + reserved bit
            b.write(0);
            b.write(0);
            RawMqttClient.writeString(b, "reserved");
            c.sendPacket(0x10, b.toByteArray());
            c.awaitClose(2000);
        }
    }

    @Test
    void invalidUtf8ClientIdCloses() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            RawMqttClient.writeString(b, "MQTT");
            b.write(4);
            b.write(0x02);
            b.write(0);
            b.write(0);
            b.write(0);
            b.write(2);
            b.write(0xC0);
            b.write(0x80); // overlong encoding of U+0000
            c.sendPacket(0x10, b.toByteArray());
            c.awaitClose(2000);
        }
    }

    @Test
    void packetTypeZeroCloses() throws Exception {
        try (RawMqttClient c = connected311()) {
            c.send(new byte[] {0x00, 0});
            c.awaitClose(2000);
        }
    }
}
