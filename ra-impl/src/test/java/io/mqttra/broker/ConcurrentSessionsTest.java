package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.broker.SessionRegistryTest.WillWatcher;
import io.mqttra.testing.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many clients connecting, taking each other over and subscribing at once, on a running broker with
 * two I/O threads: nothing global serialises them, and the outcome is what one client at a time would
 * have got.
 */
class ConcurrentSessionsTest {

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension(BrokerConfig.builder().ioThreads(2));

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<RawMqttClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() throws IOException {
        threads.shutdownNow();
        for (RawMqttClient c : clients) {
            c.close();
        }
    }

    private RawMqttClient client() throws IOException {
        RawMqttClient c = new RawMqttClient(broker.address());
        synchronized (clients) {
            clients.add(c);
        }
        return c;
    }

    private static void expectConnAckAccepted(RawMqttClient c) throws IOException {
        RawMqttClient.Packet connAck = c.read();
        assertEquals(RawMqttClient.CONNACK, connAck.type());
        assertEquals(0, connAck.body()[connAck.body().length - 1], "return code");
    }

    /**
     * A subscriber that takes its time with a will, as a durable subscription writing to disk might:
     * a CONNECT of another client, handled by the other I/O thread, must not wait for it.
     */
    @Test
    void connectIsNotHeldUpWhileAnotherClientsWillIsRouted() throws Exception {
        CountDownLatch routing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        broker.broker().subscribe(new WillWatcher() {
            @Override
            public void deliver(PublishedMessage message, Delivery delivery) {
                routing.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, Subscription.to("wills/#").build());
        RawMqttClient leaving = client();
        leaving.connectWithWill("leaving", "wills/leaving", "gone", 0);
        expectConnAckAccepted(leaving);
        // accepted next, so handled by the other of the two I/O threads
        RawMqttClient arriving = client();
        leaving.close(); // no DISCONNECT: the will goes out [MQTT-3.1.2-8]
        try {
            assertTrue(routing.await(5, TimeUnit.SECONDS), "the will is being routed");
            arriving.socket().setSoTimeout(2000);
            arriving.connect("arriving");
            expectConnAckAccepted(arriving); // SocketTimeoutException when the CONNECT waited for the will
        } finally {
            release.countDown();
        }
    }

    /** One connection of the storm: its client identifier, clean session flag, the payload of its will. */
    private record Attempt(String clientId, boolean cleanSession, String will, RawMqttClient client) {
    }

    /**
     * Threads connect again and again with the same few client identifiers, half with a clean session,
     * each connection with a will of its own and a subscription. Afterwards each client has one session,
     * bound to the one connection still open, with one subscription; every other connection was closed
     * and its will published once, as a taken-over connection's is [MQTT-3.1.4-3]; no subscription of an
     * ended session is left in the router [MQTT-3.1.2-4].
     */
    @Test
    void takeoverStormLeavesOneSessionPerClientOnItsLastConnectionAndEveryWillOnce() throws Exception {
        WillWatcher wills = new WillWatcher();
        broker.broker().subscribe(wills, Subscription.to("wills/#").build());
        List<String> ids = List.of("storm-0", "storm-1", "storm-2", "storm-3");
        int workers = 8;
        int rounds = 20;
        Queue<Attempt> attempts = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(workers);
        List<Future<?>> runs = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            runs.add(threads.submit(() -> {
                start.countDown();
                start.await();
                for (int r = 0; r < rounds; r++) {
                    String id = ids.get((worker + r) % ids.size());
                    String will = id + " " + worker + "/" + r;
                    boolean cleanSession = (worker + r) % 2 == 0;
                    RawMqttClient c = client();
                    c.connectWithWill(id, cleanSession, "wills/" + id, will, 0, false);
                    expectConnAckAccepted(c);
                    attempts.add(new Attempt(id, cleanSession, will, c));
                    c.subscribe(1, "storm/" + id, 0);
                    try {
                        c.read(); // SUBACK, unless a later connection has taken over already
                    } catch (IOException takenOver) {
                        // closed by the broker
                    }
                }
                return null;
            }));
        }
        for (Future<?> run : runs) {
            run.get(60, TimeUnit.SECONDS);
        }
        MqttBroker b = broker.broker();
        int total = workers * rounds;
        Await.until(Duration.ofSeconds(10), "one connection per client", () -> b.connectedClients() == ids.size());
        Await.until(Duration.ofSeconds(10), "the wills of the taken-over connections", () -> wills.received.size() == total - ids.size());
        assertEquals(ids.size(), b.sessionCount());
        assertEquals(ids.size() + 1, b.router().subscriptionCount(), "one per session, and the watcher's");

        Map<String, RawMqttClient> survivors = new HashMap<>();
        for (Attempt a : attempts) {
            if (!wills.payloads().contains(a.will())) {
                assertEquals(null, survivors.put(a.clientId(), a.client()), "two connections of " + a.clientId() + " open");
            }
        }
        assertEquals(ids.size(), survivors.size());
        for (Map.Entry<String, RawMqttClient> s : survivors.entrySet()) {
            b.publish(new PublishedMessage("storm/" + s.getKey(), "to the survivor".getBytes(StandardCharsets.UTF_8), 0,
                    false, null, null, System.currentTimeMillis(), PublishedMessage.Mqtt5Properties.NONE));
            assertEquals("storm/" + s.getKey(), s.getValue().readPublish(false).topic(), "the session is bound to it");
            s.getValue().close();
        }
        Await.until(Duration.ofSeconds(10), "every will", () -> wills.received.size() == total);
        assertEquals(attempts.stream().map(Attempt::will).sorted().toList(), wills.payloads().stream().sorted().toList(),
                "each connection's will, once");
        long persistent = attempts.stream().filter(a -> !a.cleanSession() && survivors.get(a.clientId()) == a.client()).count();
        Await.until(Duration.ofSeconds(10), "only the sessions without clean session left", () -> b.sessionCount() == persistent);
    }

    /** Reads past the PUBLISH packets a subscription brings to the packet of {@code type}. */
    private static RawMqttClient.Packet readUntil(RawMqttClient c, int type) throws IOException {
        while (true) {
            RawMqttClient.Packet p = c.read();
            if (p.type() == type) {
                return p;
            }
            assertEquals(RawMqttClient.PUBLISH, p.type(), "unexpected packet while waiting for type " + type);
        }
    }

    /** Publishes at QoS 1 and returns the PUBACK's reason code: 0x10 when nobody subscribed to it (MQTT 5.0 section 3.4.2.1). */
    private static int probe(RawMqttClient c, String topic) throws IOException {
        c.publish5(topic, 1, 7, RawMqttClient.props(), "probe");
        byte[] ack = readUntil(c, RawMqttClient.PUBACK).body();
        return ack.length > 2 ? ack[2] & 0xFF : 0;
    }

    /**
     * Clients subscribe and unsubscribe over and over, each to filters of its own topic whose branches
     * overlap the others' ({@code churn}, {@code churn/shared}, {@code churn/+}, {@code +}), so that
     * nodes one client grows are those another's unsubscribe prunes, while a publisher sends to all of
     * their topics. After each SUBACK the client's own QoS 1 PUBLISH must find a subscriber (itself:
     * the subscription was not lost), after each UNSUBACK none (it was not left behind).
     */
    @Test
    void subscriptionsChurningOnOverlappingFiltersAreNeitherLostNorLeftBehind() throws Exception {
        int workers = 4;
        int rounds = 100;
        AtomicBoolean churning = new AtomicBoolean(true);
        RawMqttClient publisher = client();
        publisher.connect("background");
        expectConnAckAccepted(publisher);
        Future<?> background = threads.submit(() -> {
            for (int i = 0; churning.get(); i++) {
                publisher.publish("churn/shared/c" + (i % workers) + "/x", "background", 0, 0);
                Thread.sleep(1); // the clients read byte by byte: a flood would only measure that
            }
            return null;
        });
        List<Future<String>> runs = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String me = "c" + w;
            String topic = "churn/shared/" + me + "/x";
            List<String> filters = List.of(topic, "churn/+/" + me + "/x", "churn/shared/" + me + "/#", "+/shared/" + me + "/x",
                    topic + "/#");
            runs.add(threads.submit(() -> {
                RawMqttClient c = client();
                c.connect5(me, true, RawMqttClient.props());
                assertEquals(0, readUntil(c, RawMqttClient.CONNACK).body()[1], "CONNACK reason");
                for (int r = 0; r < rounds; r++) {
                    String filter = filters.get(r % filters.size());
                    c.subscribe5(1, RawMqttClient.props(), filter, 0);
                    readUntil(c, RawMqttClient.SUBACK);
                    if (probe(c, topic) != 0) {
                        return me + " round " + r + ": " + filter + " lost right after its SUBACK";
                    }
                    c.unsubscribe5(2, filter);
                    readUntil(c, RawMqttClient.UNSUBACK);
                    if (probe(c, topic) != 0x10) {
                        return me + " round " + r + ": " + filter + " still matches after its UNSUBACK";
                    }
                }
                return null;
            }));
        }
        try {
            for (Future<String> run : runs) {
                assertEquals(null, run.get(60, TimeUnit.SECONDS));
            }
        } finally {
            churning.set(false);
        }
        background.get(10, TimeUnit.SECONDS);
        assertEquals(0, broker.broker().router().subscriptionCount());
    }
}
