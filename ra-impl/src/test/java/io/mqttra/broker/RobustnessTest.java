package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input closes the one connection that sent it, within a bounded time, and never the broker:
 * after every case a well-behaved client still gets its messages through.
 */
class RobustnessTest {

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension(BrokerConfig.builder()
            .connectTimeoutMillis(500)
            .maxPacketSize(1024));

    @AfterEach
    void brokerStillServesOthers() throws Exception {
        MqttClient sub = new MqttClient(broker.uri(), "survivor-sub", new MemoryPersistence());
        MqttClient pub = new MqttClient(broker.uri(), "survivor-pub", new MemoryPersistence());
        sub.connect();
        java.util.concurrent.BlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
        sub.subscribe("health", 1, (t, m) -> got.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
        pub.connect();
        pub.publish("health", "ok".getBytes(StandardCharsets.UTF_8), 1, false);
        assertEquals("ok", got.poll(5, TimeUnit.SECONDS));
        pub.disconnect();
        sub.disconnect();
        pub.close();
        sub.close();
    }

    @Test
    void httpRequestIsClosedAtOnce() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            // 'G' reads as a PUBACK with flags 0111 and 'E' as a remaining length of 69: refused from the first byte
            c.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            long millis = c.awaitClose(2000);
            assertTrue(millis < 300, "closed at once, not by the connect timeout: " + millis + " ms");
        }
    }

    @Test
    void tlsClientHelloIsClosedAtOnce() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.send(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xFC, 0x03, 0x03});
            long millis = c.awaitClose(2000);
            assertTrue(millis < 300, "closed at once: " + millis + " ms");
        }
    }

    @Test
    void clientThatNeverSendsConnectIsClosedAfterTheConnectTimeout() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            long millis = c.awaitClose(3000);
            assertTrue(millis >= 400, "closed after the timeout, not before: " + millis + " ms");
        }
    }

    @Test
    void clientThatSendsHalfAConnectIsClosedAfterTheConnectTimeout() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.send(new byte[] {0x10, 0x20, 0x00, 0x04, 'M', 'Q'});
            c.awaitClose(3000);
        }
    }

    @Test
    void malformedRemainingLengthIsClosed_MQTT_2_2_3() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            // five continuation bytes: a remaining length longer than the protocol allows
            c.send(new byte[] {0x10, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F});
            c.awaitClose(2000);
        }
    }

    @Test
    void connectWithWrongProtocolNameIsClosed_MQTT_3_1_2_1() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("HTTP", 4, "x", true, 0);
            c.awaitClose(2000);
        }
    }

    @Test
    void packetLargerThanMaxPacketSizeIsClosed() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("big");
            c.read();
            c.publish("big/topic", "x".repeat(4096), 0, 0);
            c.awaitClose(2000);
        }
    }

    @Test
    void publishWithWildcardTopicIsClosed_MQTT_3_3_2_2() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("wild");
            c.read();
            c.publish("sensors/+/temp", "1", 0, 0);
            c.awaitClose(2000);
        }
    }

    @Test
    void randomBytesAreClosed() throws Exception {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 20; i++) {
            byte[] junk = new byte[64];
            random.nextBytes(junk);
            try (RawMqttClient c = new RawMqttClient(broker.address())) {
                c.send(junk);
                c.awaitClose(3000);
            }
        }
    }
}
