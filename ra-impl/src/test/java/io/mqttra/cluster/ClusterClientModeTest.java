package io.mqttra.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two brokers that are clients ({@code --cluster client}) of an external Hazelcast cluster, here one
 * member in the test's JVM configured as the README asks of an external cluster: they act as one broker
 * as embedded members do, and when one dies (no grid member leaves with it: its node entry expires) the
 * other takes its persistent sessions over.
 */
class ClusterClientModeTest {

    private HazelcastInstance member;
    private List<EngineNode> nodes = List.of();

    @BeforeEach
    void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String name = "external-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        member = GridInstances.start(ClusterSettings.parse(ClusterSettings.EMBEDDED, name, "", "127.0.0.1", port, 1),
                getClass().getClassLoader());
        nodes = EngineNode.clientsOf("client-mode", 2, "127.0.0.1:" + port, name);
    }

    @AfterEach
    void stop() throws Exception {
        for (EngineNode n : nodes) {
            n.close();
        }
        member.shutdown();
    }

    @Test
    void clientsOfAnExternalClusterActAsOneBrokerAndTakeOverTheSessionsOfOneThatDies() throws Exception {
        EngineNode a = nodes.get(0);
        EngineNode b = nodes.get(1);
        assertTrue(a.log().contains("client of Hazelcast cluster"), "A says it is a client: " + a.log().lines()
                .filter(l -> l.contains("MQTT-RA cluster:")).findFirst().orElse(""));

        // a retained message and a QoS 1 message published on A reach a subscriber on B
        Mqtt5BlockingClient publisher = client("client-pub", a);
        publisher.connect();
        publisher.publishWith().topic("ext/status").qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload("up".getBytes(StandardCharsets.UTF_8)).send();
        Mqtt5BlockingClient onB = client("client-sub", b);
        onB.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = onB.publishes(MqttGlobalPublishFilter.ALL)) {
            onB.subscribeWith().topicFilter("ext/#").qos(MqttQos.AT_LEAST_ONCE).send();
            assertEquals("up", payload(publishes.receive(10, TimeUnit.SECONDS)), "the retained message published on A");
            publisher.publishWith().topic("ext/x").qos(MqttQos.AT_LEAST_ONCE).payload("one".getBytes(StandardCharsets.UTF_8)).send();
            assertEquals("one", payload(publishes.receive(10, TimeUnit.SECONDS)), "a QoS 1 message published on A");
        }
        onB.disconnect();

        // a persistent session offline on A, with messages queued: A dies, B takes the session over
        Mqtt5BlockingClient away = client("client-away", a);
        away.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
        away.subscribeWith().topicFilter("ext/queued").qos(MqttQos.AT_LEAST_ONCE).send();
        away.disconnect();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            publisher.publishWith().topic("ext/queued").qos(MqttQos.AT_LEAST_ONCE).payload(("q" + i).getBytes(StandardCharsets.UTF_8)).send();
            sent.add("q" + i);
        }
        publisher.disconnect();
        a.kill();
        b.awaitOthers(0);

        Mqtt5BlockingClient back = client("client-away", b);
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = back.publishes(MqttGlobalPublishFilter.ALL)) {
            assertTrue(back.connectWith().cleanStart(false).sessionExpiryInterval(3600).send().isSessionPresent(),
                    "the session of the dead node continues on B [MQTT-3.2.2-2]");
            List<String> got = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                got.add(payload(publishes.receive(10, TimeUnit.SECONDS)));
            }
            assertEquals(sent, got, "every acknowledged message, in order");
        }
        back.disconnect();
    }

    private static String payload(Optional<Mqtt5Publish> p) {
        assertTrue(p.isPresent(), "a message arrives");
        return new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    private static Mqtt5BlockingClient client(String id, EngineNode node) {
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(node.mqttPort).buildBlocking();
    }
}
