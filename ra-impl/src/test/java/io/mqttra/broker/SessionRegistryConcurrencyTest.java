package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.broker.SessionRegistryTest.ManualTimer;
import io.mqttra.broker.SessionRegistryTest.WillWatcher;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Wills are routed with no lock held, on every path that publishes one, so that routing (which a
 * durable subscriber makes as slow as a disk write) cannot hold up the CONNECTs of other clients, or
 * of the same client: the registry locks per client identifier, and only while it decides. And many
 * threads opening and closing the same clients' sessions get what one thread at a time would.
 */
class SessionRegistryConcurrencyTest {

    private static final ConnectionLimits LIMITS = ConnectionLimits.unlimited(10);

    /** Records, for each will it receives, what the delivering thread holds, and runs a check if one is set. */
    private static final class LockWatcher extends WillWatcher {
        final List<String> heldLocks = new ArrayList<>();
        final List<String> duringDeliveryResults = new ArrayList<>();
        volatile Supplier<String> duringDelivery;

        @Override
        public void deliver(PublishedMessage message, Delivery delivery) {
            super.deliver(message, delivery);
            ThreadInfo me = ManagementFactory.getThreadMXBean()
                    .getThreadInfo(new long[] {Thread.currentThread().getId()}, true, true)[0];
            heldLocks.add(Arrays.toString(me.getLockedMonitors()) + Arrays.toString(me.getLockedSynchronizers()));
            if (duringDelivery != null) {
                duringDeliveryResults.add(duringDelivery.get());
            }
        }
    }

    private final ManualTimer timer = new ManualTimer();
    private final MessageRouter router = new MessageRouter();
    private final SessionRegistry registry = new SessionRegistry(BrokerConfig.builder().build(), router, new BrokerStats(),
            timer);
    private final LockWatcher watcher = new LockWatcher();
    private final ExecutorService otherThread = Executors.newSingleThreadExecutor();

    SessionRegistryConcurrencyTest() {
        router.subscribe(watcher, Subscription.to("wills/#").build());
    }

    @AfterEach
    void stopOtherThread() {
        otherThread.shutdownNow();
    }

    private static PublishedMessage will(String clientId) {
        return will(clientId, "will of " + clientId);
    }

    private static PublishedMessage will(String clientId, String payload) {
        return new PublishedMessage("wills/" + clientId, payload.getBytes(StandardCharsets.UTF_8), 0, false, clientId, null,
                0, PublishedMessage.Mqtt5Properties.NONE);
    }

    private ClientSession open(String clientId, boolean cleanStart, long expirySeconds, EmbeddedChannel connection) {
        return registry.open(clientId, cleanStart, expirySeconds, connection, LIMITS).session();
    }

    private void assertRoutedHoldingNoLock(String payload) {
        assertEquals(List.of(payload), watcher.payloads());
        assertEquals(List.of("[][]"), watcher.heldLocks, "monitors and locks the routing thread held");
    }

    // ---- every path that publishes a will ----

    @Test
    void willOfASessionEndingWithItsConnectionIsRoutedHoldingNoLock() {
        EmbeddedChannel connection = new EmbeddedChannel();
        registry.closed(open("c1", true, 0, connection), connection, will("c1"), 0);
        assertRoutedHoldingNoLock("will of c1");
    }

    @Test
    void willOfAConnectionEndingWithoutDelayIsRoutedHoldingNoLock() {
        EmbeddedChannel connection = new EmbeddedChannel();
        registry.closed(open("c1", false, 60, connection), connection, will("c1"), 0);
        assertRoutedHoldingNoLock("will of c1");
    }

    @Test
    void willOfATakenOverConnectionIsRoutedHoldingNoLock_MQTT_3_1_4_3() {
        EmbeddedChannel first = new EmbeddedChannel();
        ClientSession session = open("c1", false, 60, first);
        open("c1", false, 60, new EmbeddedChannel());
        registry.closed(session, first, will("c1"), 0);
        assertRoutedHoldingNoLock("will of c1");
    }

    @Test
    void delayedWillOfASessionEndedByACleanStartIsRoutedHoldingNoLock_MQTT_3_1_2_4() {
        EmbeddedChannel first = new EmbeddedChannel();
        registry.closed(open("c1", false, 60, first), first, will("c1"), 30);
        open("c1", true, 60, new EmbeddedChannel());
        assertRoutedHoldingNoLock("will of c1");
    }

    @Test
    void delayedWillOfAnExpiringSessionIsRoutedHoldingNoLock() {
        EmbeddedChannel connection = new EmbeddedChannel();
        registry.closed(open("c1", false, 10, connection), connection, will("c1"), 100);
        timer.scheduled.get(1).run(); // the expiry, before the will's delay
        assertRoutedHoldingNoLock("will of c1");
    }

    @Test
    void delayedWillIsRoutedHoldingNoLockWhenItsDelayEnds_MQTT_3_1_3_9() {
        EmbeddedChannel connection = new EmbeddedChannel();
        registry.closed(open("c1", false, 60, connection), connection, will("c1"), 5);
        timer.scheduled.get(0).run();
        assertRoutedHoldingNoLock("will of c1");
    }

    // ---- what must not wait while a will is routed ----

    /** Runs {@code connect} on another thread and says whether it finished within 2 s. */
    private Supplier<String> inTwoSeconds(String what, Runnable connect) {
        return () -> {
            Future<?> f = otherThread.submit(connect);
            try {
                f.get(2, TimeUnit.SECONDS);
                return what + " done";
            } catch (Exception e) {
                return what + " still waiting after 2 s (" + e + ")";
            }
        };
    }

    @Test
    void connectOfAnotherClientDoesNotWaitForAWillBeingRouted() {
        EmbeddedChannel connection = new EmbeddedChannel();
        ClientSession session = open("c1", true, 0, connection);
        watcher.duringDelivery = inTwoSeconds("CONNECT of c2", () -> open("c2", true, 0, new EmbeddedChannel()));
        registry.closed(session, connection, will("c1"), 0);
        assertEquals(List.of("CONNECT of c2 done"), watcher.duringDeliveryResults);
        assertEquals(1, registry.size(), "c2's");
    }

    @Test
    void connectOfTheSameClientDoesNotWaitForTheWillOfTheSessionItsCleanStartEnded() {
        EmbeddedChannel first = new EmbeddedChannel();
        registry.closed(open("c1", false, 60, first), first, will("c1"), 30);
        EmbeddedChannel third = new EmbeddedChannel();
        watcher.duringDelivery = inTwoSeconds("next CONNECT of c1", () -> open("c1", false, 60, third));
        ClientSession second = open("c1", true, 60, new EmbeddedChannel());
        assertEquals(List.of("next CONNECT of c1 done"), watcher.duringDeliveryResults);
        assertSame(third, second.channel(), "the third connection resumed the session the second one started");
        assertEquals(1, registry.size());
    }

    // ---- takeover storm ----

    /** One connection of the storm, as its handler knows it. */
    private record Connection(EmbeddedChannel channel, ClientSession session, PublishedMessage will) {
    }

    /**
     * Threads open sessions of the same three clients again and again, with and without clean start and
     * expiry, and end their connections (without DISCONNECT) soon or late, as connections taken over
     * end. No connection may ever be bound to a session that has already ended (one thread resuming a
     * session another was ending), and every connection's will is published once: at once when it was
     * taken over [MQTT-3.1.4-3], or when it ended [MQTT-3.1.2-8].
     */
    @Test
    void takeoverStormNeverBindsAConnectionToAnEndedSessionAndPublishesEveryWillOnce() throws Exception {
        MessageRouter stormRouter = new MessageRouter();
        WillWatcher stormWills = new WillWatcher();
        stormRouter.subscribe(stormWills, Subscription.to("wills/#").build());
        SessionRegistry storm = new SessionRegistry(BrokerConfig.builder().build(), stormRouter, new BrokerStats(),
                (task, seconds) -> null);
        int workers = 4;
        int rounds = 3_000;
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        CountDownLatch start = new CountDownLatch(workers);
        List<Future<List<String>>> runs = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            runs.add(pool.submit(() -> {
                Random random = new Random(worker);
                List<Connection> mine = new ArrayList<>();
                List<String> wills = new ArrayList<>();
                start.countDown();
                start.await();
                for (int r = 0; r < rounds; r++) {
                    String clientId = "c" + random.nextInt(3);
                    EmbeddedChannel channel = new EmbeddedChannel();
                    ClientSession session = storm.open(clientId, random.nextBoolean(), random.nextBoolean() ? 0 : 60, channel,
                            LIMITS).session();
                    if (session.isEnded() && session.channel() == channel) {
                        throw new AssertionError("round " + r + " of worker " + worker + ": " + clientId
                                + "'s new connection is bound to a session that has ended");
                    }
                    Connection c = new Connection(channel, session, will(clientId, clientId + " " + worker + "/" + r));
                    wills.add(new String(c.will().payload(), StandardCharsets.UTF_8));
                    mine.add(c);
                    if (random.nextBoolean()) {
                        Connection ending = mine.remove(random.nextInt(mine.size()));
                        storm.closed(ending.session(), ending.channel(), ending.will(), 0);
                    }
                }
                for (Connection c : mine) {
                    storm.closed(c.session(), c.channel(), c.will(), 0);
                }
                return wills;
            }));
        }
        List<String> expected = new ArrayList<>();
        try {
            for (Future<List<String>> run : runs) {
                expected.addAll(run.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(expected.stream().sorted().toList(), stormWills.payloads().stream().sorted().toList(),
                "each connection's will, once");
        assertTrue(storm.size() <= 3, storm.size() + " sessions of 3 clients");
    }

    /** Many CONNECTs at once, each for a new client, make exactly {@code maxClientSessions} sessions. */
    @Test
    void maxClientSessionsHoldsExactlyUnderConcurrentConnects() throws Exception {
        for (int round = 0; round < 20; round++) {
            SessionRegistry limited = new SessionRegistry(BrokerConfig.builder().maxClientSessions(10).build(), router,
                    new BrokerStats(), timer);
            ExecutorService threads = Executors.newFixedThreadPool(8);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> opened = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String clientId = "r" + round + "-c" + i;
                opened.add(threads.submit(() -> {
                    go.await();
                    return limited.open(clientId, true, 60, new EmbeddedChannel(), LIMITS) != null;
                }));
            }
            go.countDown();
            int accepted = 0;
            for (Future<Boolean> f : opened) {
                accepted += f.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }
            threads.shutdown();
            assertEquals(10, accepted, "round " + round + ": sessions opened");
            assertEquals(10, limited.size(), "round " + round + ": sessions kept");
        }
    }
}
