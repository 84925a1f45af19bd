package io.mqttra.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.mqttra.testing.Await;
import io.mqttra.testing.ServerDisconnect;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two brokers in JVMs of their own, one Hazelcast cluster on 127.0.0.1, real MQTT clients on each:
 * what a device on one node publishes reaches subscribers on the other, once.
 */
class ClusterRoutingTest {

    private static List<EngineNode> nodes;
    private static EngineNode a;
    private static EngineNode b;
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        nodes = EngineNode.cluster("routing", 2);
        a = nodes.get(0);
        b = nodes.get(1);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (EngineNode n : nodes) {
            n.close();
        }
    }

    @org.junit.jupiter.api.AfterEach
    void disconnect() {
        for (Mqtt5BlockingClient c : clients) {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        }
    }

    private Mqtt5BlockingClient client(String id, EngineNode node) {
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(node.mqttPort)
                .buildBlocking();
        c.connect();
        clients.add(c);
        return c;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The SUBACK on B means A routes there: a publish right after it is not lost. */
    @Test
    void messagesPublishedOnOneNodeReachSubscribersOnTheOtherAtEveryQos() throws Exception {
        Mqtt5BlockingClient subscriber = client("sub-b", b);
        Mqtt5BlockingClient publisher = client("pub-a", a);
        try (Mqtt5BlockingClient.Mqtt5Publishes received = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter("plant/+/temp").qos(MqttQos.EXACTLY_ONCE).send();
            for (int qos = 0; qos <= 2; qos++) {
                publisher.publishWith().topic("plant/" + qos + "/temp").qos(MqttQos.fromCode(qos)).payload(bytes("q" + qos)).send();
            }
            for (int qos = 0; qos <= 2; qos++) {
                Mqtt5Publish p = received.receive(10, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("nothing on B"));
                assertEquals("plant/" + p.getQos().getCode() + "/temp", p.getTopic().toString());
                assertEquals("q" + p.getQos().getCode(), new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            // one copy per subscriber, however many subscribers B has: nothing more comes
            publisher.publishWith().topic("plant/end/temp").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("end")).send();
            assertEquals("plant/end/temp", received.receive(10, TimeUnit.SECONDS).orElseThrow().getTopic().toString());
            assertFalse(received.receive(300, TimeUnit.MILLISECONDS).isPresent());
        }
    }

    /** Per publisher order across nodes [MQTT-4.6.0-6]. */
    @Test
    void aPublishersMessagesArriveOnTheOtherNodeInOrder() throws Exception {
        Mqtt5BlockingClient subscriber = client("order-sub", b);
        Mqtt5BlockingClient publisher = client("order-pub", a);
        try (Mqtt5BlockingClient.Mqtt5Publishes received = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter("order/#").qos(MqttQos.AT_LEAST_ONCE).send();
            for (int i = 0; i < 500; i++) {
                publisher.publishWith().topic("order/x").qos(MqttQos.AT_LEAST_ONCE).payload(bytes(String.valueOf(i))).send();
            }
            for (int i = 0; i < 500; i++) {
                Mqtt5Publish p = received.receive(10, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("message missing"));
                assertEquals(String.valueOf(i), new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    /** A shared subscription with members on both nodes gets each message once in the cluster [MQTT-4.8.2-2]. */
    @Test
    void aSharedSubscriptionGetsEachMessageOncePerCluster() throws Exception {
        Mqtt5BlockingClient onA = client("share-a", a);
        Mqtt5BlockingClient onB = client("share-b", b);
        Mqtt5BlockingClient publisher = client("share-pub", a);
        try (Mqtt5BlockingClient.Mqtt5Publishes fromA = onA.publishes(MqttGlobalPublishFilter.ALL);
             Mqtt5BlockingClient.Mqtt5Publishes fromB = onB.publishes(MqttGlobalPublishFilter.ALL)) {
            onA.subscribeWith().topicFilter("$share/workers/jobs/#").qos(MqttQos.AT_LEAST_ONCE).send();
            onB.subscribeWith().topicFilter("$share/workers/jobs/#").qos(MqttQos.AT_LEAST_ONCE).send();
            int n = 200;
            for (int i = 0; i < n; i++) {
                publisher.publishWith().topic("jobs/" + i).qos(MqttQos.AT_LEAST_ONCE).payload(bytes(String.valueOf(i))).send();
            }
            Set<String> seen = new HashSet<>();
            int onNodeA = 0;
            int onNodeB = 0;
            for (int i = 0; i < n; i++) {
                Optional<Mqtt5Publish> p = fromA.receive(20, TimeUnit.MILLISECONDS);
                if (p.isPresent()) {
                    onNodeA++;
                } else {
                    p = fromB.receive(10, TimeUnit.SECONDS);
                    onNodeB++;
                }
                String payload = new String(p.orElseThrow(() -> new AssertionError("a job went missing")).getPayloadAsBytes(),
                        StandardCharsets.UTF_8);
                assertTrue(seen.add(payload), "job " + payload + " delivered twice");
            }
            assertFalse(fromA.receive(300, TimeUnit.MILLISECONDS).isPresent(), "more than " + n + " deliveries");
            assertFalse(fromB.receive(300, TimeUnit.MILLISECONDS).isPresent(), "more than " + n + " deliveries");
            assertTrue(onNodeA > 0 && onNodeB > 0, "both nodes' members got jobs: A " + onNodeA + ", B " + onNodeB);
        }
    }

    /** A retained message acknowledged on A is there for a subscription on B made right after (read-your-write). */
    @Test
    void aRetainedMessagePublishedOnOneNodeIsSeenAtOnceOnTheOther() throws Exception {
        Mqtt5BlockingClient publisher = client("ret-pub", a);
        Mqtt5BlockingClient subscriber = client("ret-sub", b);
        for (int i = 0; i < 20; i++) {
            String topic = "status/device-" + i;
            publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(bytes("online " + i)).send();
            try (Mqtt5BlockingClient.Mqtt5Publishes received = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
                subscriber.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
                Mqtt5Publish p = received.receive(10, TimeUnit.SECONDS)
                        .orElseThrow(() -> new AssertionError("retained " + topic + " not on B"));
                assertTrue(p.isRetain());
                assertEquals("online " + i, new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            subscriber.unsubscribeWith().topicFilter(topic).send();
        }
        // and cleared everywhere by an empty retained message [MQTT-3.3.1-10]
        publisher.publishWith().topic("status/device-0").qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(new byte[0]).send();
        try (Mqtt5BlockingClient.Mqtt5Publishes received = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter("status/#").qos(MqttQos.AT_LEAST_ONCE).send();
            Set<String> topics = new HashSet<>();
            for (Optional<Mqtt5Publish> p = received.receive(2, TimeUnit.SECONDS); p.isPresent();
                 p = received.receive(500, TimeUnit.MILLISECONDS)) {
                topics.add(p.get().getTopic().toString());
            }
            assertEquals(19, topics.size(), "retained on B: " + topics);
            assertFalse(topics.contains("status/device-0"));
        }
    }

    /** At most one connection per client id in the cluster: connecting on B takes the session over from A (5.0: 0x8E). */
    @Test
    void connectingOnAnotherNodeDisconnectsTheFirstConnection() throws Exception {
        MqttClient first = new MqttClient("tcp://127.0.0.1:" + a.mqttPort, "roaming", new MemoryPersistence());
        ServerDisconnect told = new ServerDisconnect();
        first.setCallback(told);
        first.connect(new MqttConnectionOptions());
        Mqtt5BlockingClient second = client("roaming", b);
        assertEquals(0x8E, told.await(10).getReturnCode(), "the reason code A gave its connection");
        assertTrue(second.getState().isConnected());
        first.close(true);
    }

    /** Both connect at the same moment, over and over: exactly one connection stays each time. */
    @Test
    void simultaneousConnectsWithOneIdOnTwoNodesLeaveExactlyOne() throws Exception {
        for (int round = 0; round < 5; round++) {
            String id = "twin-" + round;
            Mqtt5Client onA = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(a.mqttPort).build();
            Mqtt5Client onB = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(b.mqttPort).build();
            var ca = onA.toAsync().connect();
            var cb = onB.toAsync().connect();
            ca.handle((ok, e) -> null).get(10, TimeUnit.SECONDS);
            cb.handle((ok, e) -> null).get(10, TimeUnit.SECONDS);
            Await.until(Duration.ofSeconds(10), "one of the twins " + id + " to be disconnected",
                    () -> onA.getState().isConnected() != onB.getState().isConnected());
            Thread.sleep(500); // a takeover still on its way would disconnect the survivor now
            assertTrue(onA.getState().isConnected() ^ onB.getState().isConnected(), "exactly one connected in round " + round);
            (onA.getState().isConnected() ? onA : onB).toBlocking().disconnect();
        }
    }

    /**
     * A device with a persistent session connects to the other node: the session comes along with its
     * subscription and the QoS 1 and 2 messages queued while it was offline, in order, and the session is
     * present [MQTT-3.2.2-3]; what is published afterwards on either node reaches it there.
     */
    @Test
    void aPersistentSessionMovedToAnotherNodeReceivesWhatWasQueuedThere() throws Exception {
        Mqtt5BlockingClient device = Mqtt5Client.builder().identifier("mover").serverHost("127.0.0.1").serverPort(a.mqttPort)
                .buildBlocking();
        device.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
        device.subscribeWith().topicFilter("cmd/mover").qos(MqttQos.EXACTLY_ONCE).send();
        device.disconnect();
        Mqtt5BlockingClient commander = client("commander", b);
        for (int i = 0; i < 20; i++) {
            commander.publishWith().topic("cmd/mover").qos(i % 2 == 0 ? MqttQos.AT_LEAST_ONCE : MqttQos.EXACTLY_ONCE)
                    .payload(bytes(String.valueOf(i))).send();
        }
        Mqtt5BlockingClient moved = Mqtt5Client.builder().identifier("mover").serverHost("127.0.0.1").serverPort(b.mqttPort)
                .buildBlocking();
        clients.add(moved);
        try (Mqtt5BlockingClient.Mqtt5Publishes received = moved.publishes(MqttGlobalPublishFilter.ALL)) {
            assertTrue(moved.connectWith().cleanStart(false).sessionExpiryInterval(300).send().isSessionPresent(),
                    "session present on B");
            for (int i = 0; i < 20; i++) {
                Mqtt5Publish p = received.receive(10, TimeUnit.SECONDS)
                        .orElseThrow(() -> new AssertionError("a queued message did not come along"));
                assertEquals(String.valueOf(i), new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            client("commander-a", a).publishWith().topic("cmd/mover").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("after")).send();
            assertEquals("after", new String(received.receive(10, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(),
                    StandardCharsets.UTF_8));
            assertFalse(received.receive(300, TimeUnit.MILLISECONDS).isPresent(), "a message twice");
        }
    }
}
