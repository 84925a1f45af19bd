package io.mqttra.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.mqttra.testing.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Three brokers, one of them killed (SIGKILL) as a server dies: what the survivors must still do. */
class ClusterNodeLossTest {

    private List<EngineNode> nodes;

    @BeforeEach
    void startCluster() throws Exception {
        nodes = EngineNode.cluster("loss", 3);
    }

    @AfterEach
    void stopCluster() throws Exception {
        for (EngineNode n : nodes) {
            n.close();
        }
    }

    private static Mqtt5AsyncClient connect(String id, EngineNode node) {
        Mqtt5AsyncClient c = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(node.mqttPort).buildAsync();
        c.connect().join();
        return c;
    }

    /** The will of a client whose node died is published by the survivors, once: each subscriber gets one copy. */
    @Test
    void theWillOfAClientOfAKilledNodeIsPublishedOnceByTheSurvivors() throws Exception {
        List<String> onB = new CopyOnWriteArrayList<>();
        List<String> onC = new CopyOnWriteArrayList<>();
        Mqtt5AsyncClient watcherB = connect("watcher-b", nodes.get(1));
        Mqtt5AsyncClient watcherC = connect("watcher-c", nodes.get(2));
        watcherB.subscribeWith().topicFilter("wills/#").qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> onB.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))).send().join();
        watcherC.subscribeWith().topicFilter("wills/#").qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> onC.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))).send().join();
        for (int i = 0; i < 5; i++) {
            Mqtt5BlockingClient device = Mqtt5Client.builder().identifier("device-" + i).serverHost("127.0.0.1")
                    .serverPort(nodes.get(0).mqttPort).buildBlocking();
            device.connectWith().willPublish().topic("wills/device-" + i).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(("gone " + i).getBytes(StandardCharsets.UTF_8)).applyWillPublish().send();
        }
        nodes.get(0).kill();
        Await.until(Duration.ofSeconds(30), "the 5 wills on B and C", () -> onB.size() >= 5 && onC.size() >= 5);
        Thread.sleep(2000); // another survivor publishing them too would show by now
        assertEquals(5, new TreeSet<>(onB).size());
        assertEquals(5, onB.size(), "copies on B: " + onB);
        assertEquals(5, onC.size(), "copies on C: " + onC);
    }

    /**
     * A QoS 1 stream from B to a subscriber on C while A is killed: A may hold the grid partitions of C's
     * inbox, whose backups take over. Every message B acknowledged arrives.
     */
    @Test
    void everyAcknowledgedMessageArrivesWhenAThirdNodeIsKilledDuringTheStream() throws Exception {
        Set<String> received = ConcurrentHashMap.newKeySet();
        Mqtt5AsyncClient subscriber = connect("stream-sub", nodes.get(2));
        subscriber.subscribeWith().topicFilter("stream/#").qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> received.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))).send().join();
        Mqtt5BlockingClient publisher = Mqtt5Client.builder().identifier("stream-pub").serverHost("127.0.0.1")
                .serverPort(nodes.get(1).mqttPort).buildBlocking();
        publisher.connect();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean killed = new AtomicBoolean();
        int n = 3000;
        for (int i = 0; i < n; i++) {
            if (i == n / 3) {
                Thread killer = new Thread(() -> {
                    try {
                        nodes.get(0).kill();
                        killed.set(true);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                killer.start();
            }
            String payload = String.valueOf(i);
            try {
                Mqtt5PublishResult r = publisher.publishWith().topic("stream/x").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
                if (r.getError().isEmpty()) {
                    acknowledged.add(payload);
                }
            } catch (RuntimeException refused) {
                // not acknowledged: the broker owes nothing for it
            }
        }
        assertTrue(killed.get(), "A was killed during the stream");
        Await.until(Duration.ofSeconds(30), "every acknowledged message on C (" + acknowledged.size() + ")",
                () -> received.containsAll(acknowledged));
        assertTrue(acknowledged.size() > n / 2, "most messages acknowledged: " + acknowledged.size());
        subscriber.disconnect().get(5, TimeUnit.SECONDS);
        publisher.disconnect();
    }
}
