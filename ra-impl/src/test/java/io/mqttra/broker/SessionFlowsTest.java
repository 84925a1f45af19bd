package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.mqttra.broker.RawMqttClient.Publish;
import io.mqttra.testing.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Will triggers, QoS 2 state across duplicates and reconnects, offline QoS 0, and '$' topics. */
class SessionFlowsTest {

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension(BrokerConfig.builder().queueQos0WhileOffline(true));

    private MqttClient watcher;
    private final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

    /**
     * Subscribes a client that records every PUBLISH the broker sends it: not through a per-filter
     * listener, which Paho skips for a topic its filter does not match, and so would hide a message the
     * broker should not have sent.
     */
    private void watch(String filter) throws Exception {
        watcher = new MqttClient(broker.uri(), "watcher", new MemoryPersistence());
        watcher.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                seen.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        watcher.connect();
        watcher.subscribe(filter, 2);
    }

    @AfterEach
    void closeWatcher() throws Exception {
        if (watcher != null) {
            watcher.disconnect();
            watcher.close();
        }
    }

    private String nextSeen() throws InterruptedException {
        String s = seen.poll(5, TimeUnit.SECONDS);
        assertNotNull(s, "nothing arrived within 5 s");
        return s;
    }

    @Test
    void willIsPublishedOnKeepAliveTimeout_MQTT_3_1_2_8() throws Exception {
        watch("wills/#");
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            RawMqttClient.writeString(b, "MQTT");
            b.write(4);
            b.write(0x02 | 0x04 | 0x08); // clean session, will, will QoS 1
            b.write(0);
            b.write(1); // keep-alive 1 s
            RawMqttClient.writeString(b, "silent-2");
            RawMqttClient.writeString(b, "wills/silent");
            RawMqttClient.writeString(b, "timed out");
            c.sendPacket(0x10, b.toByteArray());
            c.read();
            c.awaitClose(4000);
        }
        assertEquals("wills/silent timed out", nextSeen());
    }

    @Test
    void willIsPublishedOnAProtocolError() throws Exception {
        watch("wills/#");
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connectWithWill("rude", "wills/rude", "broke the protocol", 1);
            c.read();
            c.publish("wills/+", "wildcard in a topic name", 0, 0);
            c.awaitClose(2000);
        }
        assertEquals("wills/rude broke the protocol", nextSeen());
    }

    @Test
    void willOfATakenOverConnectionIsPublished_MQTT_3_1_4_3() throws Exception {
        watch("wills/#");
        try (RawMqttClient first = new RawMqttClient(broker.address())) {
            first.connectWithWill("twin", "wills/twin", "replaced", 1);
            first.read();
            try (RawMqttClient second = new RawMqttClient(broker.address())) {
                second.connect("twin");
                second.read();
                first.awaitClose(2000);
                assertEquals("wills/twin replaced", nextSeen());
            }
        }
    }

    @Test
    void retainedWillReachesLaterSubscribersAtItsQos_MQTT_3_1_2_17() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connectWithWill("beacon", "status/beacon", "offline", 1, true);
            c.read();
        }
        Await.until(Duration.ofSeconds(5), "the will of beacon in the retained store",
                () -> !broker.broker().router().retained().matching("status/beacon", System.currentTimeMillis()).isEmpty());
        try (RawMqttClient late = new RawMqttClient(broker.address())) {
            late.connect("late");
            late.read();
            late.subscribe(1, "status/+", 2);
            late.read();
            Publish p = late.readPublish(false);
            assertEquals("status/beacon", p.topic());
            assertEquals("offline", p.payload());
            assertEquals(1, p.qos(), "the will's QoS");
            assertEquals(true, p.retain(), "from the retained store");
        }
    }

    @Test
    void duplicateQos2PublishIsDeliveredOnce_MQTT_4_3_3_9() throws Exception {
        watch("q2/#");
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("q2-sender");
            c.read();
            c.publish("q2/dup", "one", 2, 5);
            assertEquals(5, c.read().type(), "PUBREC");
            c.sendPacket(0x3C, dupBody("q2/dup", 5, "one")); // the same packet again, DUP set
            assertEquals(5, c.read().type(), "PUBREC again");
            c.ack(6, 5);
            assertEquals(7, c.read().type(), "PUBCOMP");
            c.publish("q2/dup", "two", 2, 5); // the identifier is free again after PUBREL
            c.read();
            c.ack(6, 5);
            c.read();
            c.publish("q2/dup", "marker", 2, 6);
            c.read();
            c.ack(6, 6);
            c.read();
        }
        assertEquals("q2/dup one", nextSeen());
        assertEquals("q2/dup two", nextSeen());
        // same publisher, subscriber, topic and QoS: a second copy of "one" or "two" would come before the marker
        assertEquals("q2/dup marker", nextSeen());
    }

    private static byte[] dupBody(String topic, int packetId, String payload) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        RawMqttClient.writeString(b, topic);
        b.write(packetId >> 8);
        b.write(packetId);
        b.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }

    @Test
    void pubrelIsResentAfterReconnectWhenPubcompWasMissing_MQTT_4_4_0_1() throws Exception {
        MqttClient pub = new MqttClient(broker.uri(), "q2-pub", new MemoryPersistence());
        pub.connect();
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("q2-receiver", false, 0, 4);
            c.read();
            c.subscribe(1, "q2/out", 2);
            c.read();
            pub.publish("q2/out", "m".getBytes(StandardCharsets.UTF_8), 2, false);
            Publish p = c.readPublish(false);
            c.ack(5, p.packetId()); // PUBREC
            assertEquals(6, c.read().type(), "PUBREL");
        } // gone before PUBCOMP
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("q2-receiver", false, 0, 4);
            assertEquals(1, c.read().body()[0], "session present");
            RawMqttClient.Packet pubrel = c.read();
            assertEquals(6, pubrel.type(), "PUBREL replayed, not the PUBLISH");
            c.ack(7, ((pubrel.body()[0] & 0xFF) << 8) | (pubrel.body()[1] & 0xFF));
            c.pingReq();
            assertEquals(RawMqttClient.PINGRESP, c.read().type());
        }
        pub.disconnect();
        pub.close();
    }

    @Test
    void qos0IsQueuedForOfflineSessionsWhenConfigured() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("q0-offline", false, 0, 4);
            c.read();
            c.subscribe(1, "q0/#", 0);
            c.read();
            c.disconnect();
        }
        MqttClient pub = new MqttClient(broker.uri(), "q0-pub", new MemoryPersistence());
        pub.connect();
        pub.publish("q0/x", "while away".getBytes(StandardCharsets.UTF_8), 0, false);
        pub.disconnect();
        pub.close();
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("q0-offline", false, 0, 4);
            c.read();
            assertEquals("while away", c.readPublish(false).payload());
        }
    }

    @Test
    void wildcardFiltersDoNotMatchDollarTopics_MQTT_4_7_2_1() throws Exception {
        watch("#");
        MqttClient dollar = new MqttClient(broker.uri(), "dollar", new MemoryPersistence());
        dollar.connect();
        BlockingQueue<String> app = new LinkedBlockingQueue<>();
        dollar.subscribe("$app/+", 1, (t, m) -> app.add(t));
        dollar.publish("$app/status", "x".getBytes(StandardCharsets.UTF_8), 1, false);
        dollar.publish("app/status", "y".getBytes(StandardCharsets.UTF_8), 1, false);
        assertEquals("$app/status", app.poll(5, TimeUnit.SECONDS));
        // "y" is the marker: published after "x" by the same client at the same QoS, it would queue behind it
        assertEquals("app/status y", nextSeen(), "'#' gets the ordinary topic only");
        dollar.disconnect();
        dollar.close();
    }
}
