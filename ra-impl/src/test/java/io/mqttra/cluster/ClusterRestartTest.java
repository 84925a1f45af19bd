package io.mqttra.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One server, alone in its grid, with its data directory: persistent sessions and retained messages come
 * back after it is killed (SIGKILL) and after a clean stop, as the grid would keep them if another member
 * were there.
 */
class ClusterRestartTest {

    private static final int STORM_CLIENTS = 2_000;

    @TempDir
    Path data;
    private EngineNode node;

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    /**
     * A persistent session offline with 20 acknowledged QoS 1 messages queued, and a retained message: the
     * server is killed and started again; the client resumes its session (session present [MQTT-3.2.2-2])
     * and gets every message in order [MQTT-4.6.0-6], and a new subscriber gets the retained message. After
     * a clean stop and start, the retained message is still there.
     */
    @Test
    void persistentSessionsAndRetainedMessagesSurviveAKillAndARestartOfTheOnlyServer() throws Exception {
        node = EngineNode.alone("restart", data);
        Mqtt5BlockingClient keeper = client("keeper");
        keeper.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
        keeper.subscribeWith().topicFilter("kept/#").qos(MqttQos.AT_LEAST_ONCE).send();
        keeper.disconnect();

        Mqtt5BlockingClient publisher = client("restart-pub");
        publisher.connect();
        publisher.publishWith().topic("kept/status").qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload("on".getBytes(StandardCharsets.UTF_8)).send();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String payload = "m" + i;
            assertTrue(publisher.publishWith().topic("kept/x").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload.getBytes(StandardCharsets.UTF_8)).send().getError().isEmpty(), "acknowledged: " + payload);
            sent.add(payload);
        }
        node.kill();
        node.restart();
        assertTrue(node.log().contains("sessions from this server's disk 1"), "the log says what came back from the disk");

        keeper = client("keeper");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = keeper.publishes(MqttGlobalPublishFilter.ALL)) {
            assertTrue(keeper.connectWith().cleanStart(false).sessionExpiryInterval(3600).send().isSessionPresent(),
                    "the session is back after the kill");
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 21; i++) {
                Optional<Mqtt5Publish> p = publishes.receive(10, TimeUnit.SECONDS);
                assertTrue(p.isPresent(), "message " + i + " of 21 arrives; got " + got);
                got.add(new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            List<String> expected = new ArrayList<>(List.of("on"));
            expected.addAll(sent);
            assertEquals(expected, got, "every acknowledged message, in order");
        }
        keeper.disconnect();
        assertEquals("on", retainedOn("kept/status"), "the retained message is back after the kill");

        node.close();
        node.restart();
        assertEquals("on", retainedOn("kept/status"), "the retained message is back after a clean stop");
    }

    /**
     * The bench's reconnect storm (#20): many MQTT 3.1.1 clients with persistent sessions, each with one
     * acknowledged QoS 1 message queued, come back the moment the server accepts again after a kill. The
     * sessions come from its disk; a client that connects before they are back must not get a new session,
     * nor its message be dropped [MQTT-3.1.2-5].
     */
    @Test
    void everyPersistentSessionAndItsQueuedMessageIsBackForClientsThatReconnectTheMomentTheServerAccepts() throws Exception {
        node = EngineNode.alone("restart-storm", data);
        PersistentFleet fleet = new PersistentFleet("storm", STORM_CLIENTS);
        fleet.subscribeAndLeave(node.mqttPort);
        fleet.queueOneEach(node.mqttPort);

        node.kill();
        node.restartUntilItAccepts();

        PersistentFleet.Back back = fleet.comeBack(node.mqttPort);
        back.assertEveryoneBack(STORM_CLIENTS);
        assertTrue(node.log().contains("sessions from this server's disk " + STORM_CLIENTS), "the log says what came back from the disk");
    }

    private String retainedOn(String topic) throws Exception {
        Mqtt5BlockingClient fresh = client("fresh-" + System.nanoTime());
        fresh.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = fresh.publishes(MqttGlobalPublishFilter.ALL)) {
            fresh.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
            Optional<Mqtt5Publish> p = publishes.receive(10, TimeUnit.SECONDS);
            assertTrue(p.isPresent() && p.get().isRetain(), "a retained message on " + topic);
            return new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8);
        } finally {
            fresh.disconnect();
        }
    }

    private Mqtt5BlockingClient client(String id) {
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(node.mqttPort).buildBlocking();
    }
}
