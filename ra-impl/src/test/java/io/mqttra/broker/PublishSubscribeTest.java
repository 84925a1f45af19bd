package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.broker.RawMqttClient.Packet;
import io.mqttra.testing.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PUBLISH, SUBSCRIBE and UNSUBSCRIBE flows between real clients (MQTT 3.1.1 sections 3.3 to 3.11, 4.3, 4.7). */
class PublishSubscribeTest {

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    private final java.util.List<MqttClient> clients = new java.util.ArrayList<>();

    record Received(String topic, MqttMessage message) {
        String text() {
            return new String(message.getPayload(), StandardCharsets.UTF_8);
        }
    }

    @AfterEach
    void closeClients() throws Exception {
        for (MqttClient c : clients) {
            if (c.isConnected()) {
                c.disconnectForcibly(100, 100);
            }
            c.close();
        }
    }

    private MqttClient client(String id) throws Exception {
        MqttClient c = new MqttClient(broker.uri(), id, new MemoryPersistence());
        clients.add(c);
        c.connect();
        return c;
    }

    /** Records what it gets in the queue the callback sets up (see {@link #recording}). */
    private static MqttCallback recorder(BlockingQueue<Received> got) {
        return new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                got.add(new Received(topic, message));
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
            }
        };
    }

    /**
     * A connected client that puts every PUBLISH the broker sends it into {@code got}. Not through
     * per-filter listeners: Paho hands a message only to the listeners whose filter matches its topic,
     * so a message the broker should not have sent would vanish in the client instead of failing the test.
     */
    private MqttClient recording(String id, BlockingQueue<Received> got) throws Exception {
        MqttClient c = new MqttClient(broker.uri(), id, new MemoryPersistence());
        clients.add(c);
        c.setCallback(recorder(got));
        c.connect();
        return c;
    }

    private BlockingQueue<Received> subscriber(String id, String filter, int qos) throws Exception {
        BlockingQueue<Received> got = new LinkedBlockingQueue<>();
        recording(id, got).subscribe(filter, qos);
        return got;
    }

    private static Received next(BlockingQueue<Received> q) throws InterruptedException {
        Received r = q.poll(5, TimeUnit.SECONDS);
        assertNotNull(r, "no message arrived within 5 s");
        return r;
    }

    @Test
    void qos0MessageReachesSubscriber() throws Exception {
        BlockingQueue<Received> got = subscriber("s", "a/b", 0);
        client("p").publish("a/b", "hello".getBytes(StandardCharsets.UTF_8), 0, false);
        Received r = next(got);
        assertEquals("a/b", r.topic());
        assertEquals("hello", r.text());
        assertEquals(0, r.message().getQos());
    }

    @Test
    void qos1MessageIsAcknowledgedAndDeliveredAtQos1() throws Exception {
        BlockingQueue<Received> got = subscriber("s", "a/b", 1);
        MqttClient p = client("p");
        p.publish("a/b", new byte[] {0, 1, 2, (byte) 255}, 1, false); // returns once PUBACK arrived
        Received r = next(got);
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 255}, r.message().getPayload());
        assertEquals(1, r.message().getQos());
    }

    @Test
    void qos2MessageIsDeliveredExactlyOnceAtQos2() throws Exception {
        BlockingQueue<Received> got = subscriber("s", "q2", 2);
        MqttClient p = client("p");
        p.publish("q2", "once".getBytes(StandardCharsets.UTF_8), 2, false);
        Received r = next(got);
        assertEquals(2, r.message().getQos());
        // same publisher, subscriber, topic and QoS: a second copy of "once" would come before the marker
        p.publish("q2", "marker".getBytes(StandardCharsets.UTF_8), 2, false);
        assertEquals("marker", next(got).text(), "delivered once");
    }

    @Test
    void deliveredQosIsTheMinimumOfPublishAndSubscription_MQTT_3_8_4_6() throws Exception {
        BlockingQueue<Received> atMost0 = subscriber("s0", "t", 0);
        BlockingQueue<Received> atMost1 = subscriber("s1", "t", 1);
        client("p").publish("t", "x".getBytes(StandardCharsets.UTF_8), 2, false);
        assertEquals(0, next(atMost0).message().getQos());
        assertEquals(1, next(atMost1).message().getQos());
    }

    @Test
    void singleLevelWildcardMatchesOneLevelOnly() throws Exception {
        BlockingQueue<Received> got = subscriber("s", "sensors/+/temperature", 1);
        MqttClient p = client("p");
        p.publish("sensors/room1/humidity", "no".getBytes(StandardCharsets.UTF_8), 1, false);
        p.publish("sensors/room1/deep/temperature", "no".getBytes(StandardCharsets.UTF_8), 1, false);
        p.publish("sensors/room1/temperature", "yes".getBytes(StandardCharsets.UTF_8), 1, false);
        // "yes" is the marker: published last by the same client at the same QoS, it would queue behind a match
        Received r = next(got);
        assertEquals("sensors/room1/temperature", r.topic());
    }

    @Test
    void multiLevelWildcardMatchesParentAndDescendants_MQTT_4_7_1_2() throws Exception {
        BlockingQueue<Received> got = subscriber("s", "sensors/#", 1);
        MqttClient p = client("p");
        p.publish("sensors", "1".getBytes(StandardCharsets.UTF_8), 1, false);
        p.publish("sensors/a/b/c", "2".getBytes(StandardCharsets.UTF_8), 1, false);
        p.publish("other/a", "3".getBytes(StandardCharsets.UTF_8), 1, false);
        p.publish("sensors/marker", "4".getBytes(StandardCharsets.UTF_8), 1, false);
        assertEquals("sensors", next(got).topic());
        assertEquals("sensors/a/b/c", next(got).topic());
        // same publisher and QoS: had other/a matched, it would have come before the marker
        assertEquals("sensors/marker", next(got).topic());
    }

    @Test
    void overlappingSubscriptionsDeliverOnce_MQTT_3_3_5_1() throws Exception {
        // raw socket: Paho would hand one PUBLISH to every matching listener itself
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("overlap");
            c.read();
            c.subscribe(1, "a/#", 0);
            c.read();
            c.subscribe(2, "a/+", 1);
            c.read();
            client("p").publish("a/b", "x".getBytes(StandardCharsets.UTF_8), 1, false);
            Packet publish = c.read();
            assertEquals(RawMqttClient.PUBLISH, publish.type());
            assertEquals(1, (publish.header() >> 1) & 3, "with the highest granted QoS");
            c.pingReq();
            assertEquals(RawMqttClient.PINGRESP, c.read().type(), "no second PUBLISH before the PINGRESP");
        }
    }

    @Test
    void unsubscribeStopsDelivery_MQTT_3_10_4_1() throws Exception {
        BlockingQueue<Received> got = new LinkedBlockingQueue<>();
        MqttClient s = recording("s", got);
        s.subscribe("u", 1);
        s.subscribe("u-marker", 1);
        MqttClient p = client("p");
        p.publish("u", "1".getBytes(StandardCharsets.UTF_8), 1, false);
        next(got);
        s.unsubscribe("u");
        p.publish("u", "2".getBytes(StandardCharsets.UTF_8), 1, false);
        p.publish("u-marker", "3".getBytes(StandardCharsets.UTF_8), 1, false);
        // same publisher, subscriber connection and QoS: a delivered "2" would have come before the marker
        assertEquals("u-marker", next(got).topic());
    }

    @Test
    void invalidTopicFilterGetsFailureReturnCode_MQTT_3_9_3() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("bad-filter");
            c.read();
            c.subscribe(7, "a/#/b", 1);
            Packet suback = c.read();
            assertEquals(RawMqttClient.SUBACK, suback.type());
            assertArrayEquals(new byte[] {0, 7, (byte) 0x80}, suback.body());
        }
    }

    @Test
    void retainedMessageIsSentToNewSubscribersWithRetainFlag_MQTT_3_3_1_6() throws Exception {
        MqttClient p = client("p");
        p.publish("status/door", "open".getBytes(StandardCharsets.UTF_8), 1, true);
        BlockingQueue<Received> got = subscriber("s", "status/+", 1);
        Received r = next(got);
        assertEquals("open", r.text());
        assertTrue(r.message().isRetained());

        BlockingQueue<Received> live = subscriber("s2", "status/door", 1);
        next(live); // the retained one
        p.publish("status/door", "closed".getBytes(StandardCharsets.UTF_8), 1, true);
        assertFalse(next(live).message().isRetained(), "forwarded live, retain flag cleared [MQTT-3.3.1-9]");
    }

    @Test
    void emptyRetainedPayloadDeletesTheRetainedMessage_MQTT_3_3_1_10() throws Exception {
        MqttClient p = client("p");
        p.publish("status/lamp", "on".getBytes(StandardCharsets.UTF_8), 1, true);
        p.publish("status/lamp", new byte[0], 1, true);
        BlockingQueue<Received> got = new LinkedBlockingQueue<>();
        MqttClient s = recording("s", got);
        s.subscribe("status/lamp", 1);
        // the subscriber's own PUBLISH is read after its SUBSCRIBE was handled, retained messages included
        s.publish("status/lamp", "marker".getBytes(StandardCharsets.UTF_8), 1, false);
        assertEquals("marker", next(got).text(), "no retained message came first");
    }

    @Test
    void persistentSessionQueuesQos1WhileOfflineAndDeliversOnReconnect_MQTT_3_1_2_4() throws Exception {
        MqttConnectOptions persistent = new MqttConnectOptions();
        persistent.setCleanSession(false);
        MqttClient s = new MqttClient(broker.uri(), "offline-sub", new MemoryPersistence());
        clients.add(s);
        BlockingQueue<Received> got = new LinkedBlockingQueue<>();
        s.setCallback(recorder(got));
        s.connect(persistent);
        s.subscribe("cmd/#", 1);
        s.disconnect();

        MqttClient p = client("p");
        for (int i = 0; i < 5; i++) {
            p.publish("cmd/" + i, ("m" + i).getBytes(StandardCharsets.UTF_8), 1, false);
        }
        p.publish("cmd/qos0", "lost".getBytes(StandardCharsets.UTF_8), 0, false);

        s.connect(persistent);
        for (int i = 0; i < 5; i++) {
            assertEquals("m" + i, next(got).text(), "in publish order");
        }
        // the queue is sent when the session is resumed, before the subscriber's own later PUBLISH is read
        s.publish("cmd/marker", "marker".getBytes(StandardCharsets.UTF_8), 0, false);
        assertEquals("marker", next(got).text(), "QoS 0 is not queued for offline clients");
    }

    @Test
    void cleanSessionDiscardsSubscriptionsOnDisconnect_MQTT_3_1_2_6() throws Exception {
        MqttClient s = client("forgetful");
        s.subscribe("x", 1);
        s.disconnect();
        // the server sees the close a moment after Paho returns
        Await.until(Duration.ofSeconds(5), "the session of forgetful and its subscription to end",
                () -> broker.broker().sessionCount() == 0 && broker.broker().router().subscriptionCount() == 0);
    }

    @Test
    void willIsPublishedWhenTheConnectionDropsWithoutDisconnect_MQTT_3_1_2_8() throws Exception {
        BlockingQueue<Received> got = subscriber("watcher", "last-will/#", 1);
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connectWithWill("mortal", "last-will/mortal", "gone", 1);
            c.read();
        } // socket closed without DISCONNECT
        Received r = next(got);
        assertEquals("last-will/mortal", r.topic());
        assertEquals("gone", r.text());
    }

    @Test
    void willIsDiscardedOnDisconnect_MQTT_3_14_4_3() throws Exception {
        BlockingQueue<Received> got = subscriber("watcher", "last-will/#", 1);
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connectWithWill("polite", "last-will/polite", "gone", 1);
            c.read();
            c.disconnect();
            c.awaitClose(2000);
        }
        Await.until(Duration.ofSeconds(5), "the session of polite to end", () -> broker.broker().sessionCount() == 1);
        // a will is routed while the session registry ends the session; the marker's CONNECT goes through the
        // same registry afterwards, so a will would be in the watcher's queue before the marker
        try (RawMqttClient marker = new RawMqttClient(broker.address())) {
            marker.connect("marker");
            marker.read();
            marker.publish("last-will/marker", "marker", 1, 1);
            marker.read();
        }
        assertEquals("last-will/marker", next(got).topic(), "no will before the marker");
    }

    @Test
    void unacknowledgedQos1IsResentWithDupOnReconnect_MQTT_4_4_0_1() throws Exception {
        MqttClient p = client("p");
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("slow-acker", false, 0, 4);
            c.read();
            c.subscribe(1, "dup/test", 1);
            c.read();
            p.publish("dup/test", "payload".getBytes(StandardCharsets.UTF_8), 1, false);
            Packet first = c.read();
            assertEquals(RawMqttClient.PUBLISH, first.type());
            assertEquals(0, first.header() & 0x08, "first send without DUP");
        } // gone without PUBACK
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("slow-acker", false, 0, 4);
            Packet connack = c.read();
            assertEquals(1, connack.body()[0], "session present");
            Packet again = c.read();
            assertEquals(RawMqttClient.PUBLISH, again.type());
            assertEquals(0x08, again.header() & 0x08, "resent with DUP");
        }
    }
}
