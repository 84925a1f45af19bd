package io.mqttra.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bench's reconnect storm (#20) for tests: MQTT 3.1.1 clients {@code <name>-<i>} with persistent
 * sessions, each subscribed at QoS 1 to its own topic, one acknowledged message queued for each while
 * they are offline, and all of them coming back at once.
 */
final class PersistentFleet {

    private static final int AT_ONCE = 200;

    private final String name;
    private final int clients;

    /** What the clients found when they came back. */
    record Back(int sessionPresent, int newSession, int withMessage) {

        /** Every client of {@code clients} got its own session back, with its message [MQTT-3.1.2-5]. */
        void assertEveryoneBack(int clients) {
            assertEquals(0, newSession, "clients that got a new session (session present 0) instead of theirs");
            assertEquals(clients, sessionPresent, "clients whose session was present");
            assertEquals(clients, withMessage, "clients that got their queued message");
        }
    }

    PersistentFleet(String name, int clients) {
        this.name = name;
        this.clients = clients;
    }

    /** Each client connects to {@code port} (clean session false), subscribes, and disconnects. */
    void subscribeAndLeave(int port) throws Exception {
        for (int first = 0; first < clients; first += AT_ONCE) {
            List<CompletableFuture<?>> subscribed = new ArrayList<>();
            for (int i = first; i < Math.min(clients, first + AT_ONCE); i++) {
                Mqtt3AsyncClient c = client(i, port);
                String topic = topic(i);
                subscribed.add(c.connectWith().cleanSession(false).send()
                        .thenCompose(ack -> c.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send())
                        .thenCompose(ack -> c.disconnect()));
            }
            CompletableFuture.allOf(subscribed.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
    }

    /** One QoS 1 message for each client, published on {@code port}; returns once all are acknowledged. */
    void queueOneEach(int port) throws Exception {
        Mqtt3AsyncClient publisher = Mqtt3Client.builder().identifier(name + "-pub").serverHost("127.0.0.1")
                .serverPort(port).buildAsync();
        publisher.connect().get(10, TimeUnit.SECONDS);
        List<CompletableFuture<?>> acknowledged = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            acknowledged.add(publisher.publishWith().topic(topic(i)).qos(MqttQos.AT_LEAST_ONCE).payload(payload(i)).send());
        }
        CompletableFuture.allOf(acknowledged.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        publisher.disconnect().get(10, TimeUnit.SECONDS);
    }

    /** All clients connect to {@code port} at once (clean session false) and wait up to 30 s for their message. */
    Back comeBack(int port) throws Exception {
        AtomicInteger present = new AtomicInteger();
        AtomicInteger fresh = new AtomicInteger();
        Set<Integer> withMessage = ConcurrentHashMap.newKeySet();
        List<Mqtt3AsyncClient> back = new ArrayList<>();
        List<CompletableFuture<?>> connected = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Mqtt3AsyncClient c = client(i, port);
            int index = i;
            String expected = new String(payload(i), StandardCharsets.UTF_8);
            c.publishes(MqttGlobalPublishFilter.ALL, p -> {
                if (new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8).equals(expected)) {
                    withMessage.add(index);
                }
            });
            back.add(c);
            connected.add(c.connectWith().cleanSession(false).send()
                    .thenAccept(ack -> (ack.isSessionPresent() ? present : fresh).incrementAndGet()));
        }
        CompletableFuture.allOf(connected.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (withMessage.size() < clients && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        back.forEach(Mqtt3AsyncClient::disconnect);
        return new Back(present.get(), fresh.get(), withMessage.size());
    }

    private Mqtt3AsyncClient client(int index, int port) {
        return Mqtt3Client.builder().identifier(name + "-" + index).serverHost("127.0.0.1").serverPort(port).buildAsync();
    }

    private String topic(int index) {
        return name + "/" + index;
    }

    private byte[] payload(int index) {
        return ("for " + name + "-" + index).getBytes(StandardCharsets.UTF_8);
    }
}
