package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Session reuse, takeover, expiry and wills (MQTT 5.0 sections 3.1.2.4, 3.1.2.11, 3.1.3.2.2 and 4.1),
 * without a network: connections are {@link EmbeddedChannel}s and the timers fire when the test says.
 */
class SessionRegistryTest {

    private static final ConnectionLimits LIMITS = ConnectionLimits.unlimited(10);

    /** A timer that runs nothing by itself: the test fires what it scheduled, as if the time had come. */
    static final class ManualTimer implements SessionRegistry.Timer {
        final List<Scheduled> scheduled = new ArrayList<>();

        @Override
        public ScheduledFuture<?> schedule(Runnable task, long seconds) {
            Scheduled s = new Scheduled(task, seconds);
            scheduled.add(s);
            return s;
        }

        /** The delays of the timers not cancelled and not run yet, in seconds. */
        List<Long> pending() {
            return scheduled.stream().filter(s -> !s.cancelled && !s.ran).map(s -> s.seconds).toList();
        }

        /** Runs every timer not cancelled and not run yet, in the order they were scheduled. */
        void fireDue() {
            for (Scheduled s : List.copyOf(scheduled)) {
                if (!s.cancelled && !s.ran) {
                    s.run();
                }
            }
        }
    }

    static final class Scheduled implements ScheduledFuture<Object> {
        final Runnable task;
        final long seconds;
        boolean cancelled;
        boolean ran;

        Scheduled(Runnable task, long seconds) {
            this.task = task;
            this.seconds = seconds;
        }

        /** Runs the task even if cancelled: a timer already running when it was cancelled. */
        void run() {
            ran = true;
            task.run();
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            return !ran;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return cancelled || ran;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(seconds, TimeUnit.SECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }

    /** Watches the will topics, as another client subscribed to wills/# would; deliveries may come from any thread. */
    static class WillWatcher implements Subscriber {
        final List<PublishedMessage> received = new CopyOnWriteArrayList<>();

        @Override
        public String subscriberId() {
            return "watcher";
        }

        @Override
        public void deliver(PublishedMessage message, Delivery delivery) {
            received.add(message);
        }

        List<String> payloads() {
            return received.stream().map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList();
        }
    }

    private final ManualTimer timer = new ManualTimer();
    private final MessageRouter router = new MessageRouter();
    private final SessionRegistry registry = new SessionRegistry(BrokerConfig.builder().build(), router, new BrokerStats(),
            timer);
    private final WillWatcher watcher = new WillWatcher();

    SessionRegistryTest() {
        router.subscribe(watcher, Subscription.to("wills/#").qos(1).build());
    }

    private static PublishedMessage will(String clientId) {
        return new PublishedMessage("wills/" + clientId, ("will of " + clientId).getBytes(StandardCharsets.UTF_8), 1, false,
                clientId, null, 0, PublishedMessage.Mqtt5Properties.NONE);
    }

    private SessionRegistry.Opened open(String clientId, boolean cleanStart, long expirySeconds, Channel connection) {
        return registry.open(clientId, cleanStart, expirySeconds, connection, LIMITS);
    }

    /** A session on {@code connection} with one subscription, as after CONNECT and SUBSCRIBE. */
    private ClientSession subscribedSession(String clientId, long expirySeconds, Channel connection) {
        ClientSession session = open(clientId, false, expirySeconds, connection).session();
        Subscription s = Subscription.to("commands/" + clientId).qos(1).build();
        session.addSubscription(s);
        router.subscribe(session.outbox(), s);
        return session;
    }

    // ---- opening: new, resumed, discarded, taken over ----

    @Test
    void firstConnectionOfAClientGetsANewSession() {
        SessionRegistry.Opened opened = open("c1", false, 60, new EmbeddedChannel());
        assertFalse(opened.sessionPresent());
        assertNull(opened.previousConnection());
        assertEquals(1, registry.size());
    }

    @Test
    void anOfflineSessionCountsUnderMaxClientSessionsUntilItExpires() {
        SessionRegistry full = new SessionRegistry(BrokerConfig.builder().maxClientSessions(1).build(), router,
                new BrokerStats(), timer);
        EmbeddedChannel first = new EmbeddedChannel();
        full.closed(full.open("away", false, 60, first, LIMITS).session(), first, null, 0);
        assertNull(full.open("newcomer", true, 0, new EmbeddedChannel(), LIMITS), "no room for a second session");
        timer.fireDue(); // the session of "away" expires
        assertFalse(full.open("newcomer", true, 0, new EmbeddedChannel(), LIMITS).sessionPresent());
    }

    @Test
    void secondConnectionTakesTheSessionOverAndGetsTheFirstToClose_MQTT_3_1_4_3() {
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();
        ClientSession session = open("c1", false, 60, first).session();
        SessionRegistry.Opened takeover = open("c1", false, 60, second);
        assertSame(first, takeover.previousConnection(), "for the caller to close");
        assertSame(session, takeover.session());
        assertTrue(takeover.sessionPresent());
        assertSame(second, session.channel());
        assertEquals(1, registry.size());
    }

    @Test
    void reconnectWithoutCleanStartResumesTheSessionWithItsSubscriptions_MQTT_3_1_2_5() {
        EmbeddedChannel first = new EmbeddedChannel();
        ClientSession session = subscribedSession("c1", 60, first);
        registry.closed(session, first, null, 0);
        SessionRegistry.Opened again = open("c1", false, 60, new EmbeddedChannel());
        assertTrue(again.sessionPresent());
        assertSame(session, again.session());
        assertEquals(1, session.subscriptions().size());
        assertEquals(2, router.subscriptionCount(), "the watcher's and the resumed session's");
    }

    @Test
    void cleanStartDiscardsTheExistingSession_MQTT_3_1_2_4() {
        EmbeddedChannel first = new EmbeddedChannel();
        ClientSession old = subscribedSession("c1", 60, first);
        registry.closed(old, first, null, 0);
        SessionRegistry.Opened fresh = open("c1", true, 60, new EmbeddedChannel());
        assertFalse(fresh.sessionPresent());
        assertNotSame(old, fresh.session());
        assertTrue(old.isEnded());
        assertTrue(fresh.session().subscriptions().isEmpty());
        assertEquals(1, router.subscriptionCount(), "only the watcher's: the old session's subscription went with it");
    }

    @Test
    void takeoverOfASessionWithExpiry0StartsAfresh_MQTT_3_1_2_6() {
        EmbeddedChannel first = new EmbeddedChannel();
        ClientSession ephemeral = subscribedSession("c1", 0, first);
        SessionRegistry.Opened takeover = open("c1", false, 60, new EmbeddedChannel());
        assertFalse(takeover.sessionPresent(), "the first session was to end with its connection");
        assertNotSame(ephemeral, takeover.session());
        assertSame(first, takeover.previousConnection(), "still closed by the caller");
        assertTrue(ephemeral.isEnded());
    }

    @Test
    void closingATakenOverConnectionLeavesTheSessionWithTheNewOne() {
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();
        ClientSession session = open("c1", false, 60, first).session();
        open("c1", false, 60, second);
        registry.closed(session, first, null, 0);
        assertSame(second, session.channel());
        assertEquals(List.of(), timer.pending(), "no expiry counts down for a connected session");
    }

    // ---- expiry ----

    @Test
    void sessionWithExpiry0EndsWithItsConnection() {
        EmbeddedChannel connection = new EmbeddedChannel();
        ClientSession session = subscribedSession("c1", 0, connection);
        registry.closed(session, connection, null, 0);
        assertEquals(0, registry.size());
        assertTrue(session.isEnded());
        assertEquals(1, router.subscriptionCount(), "only the watcher's");
        assertEquals(List.of(), timer.pending());
    }

    @Test
    void sessionExpiresWhenItsIntervalPassesWithoutAConnection_MQTT_4_1_0_2() {
        EmbeddedChannel connection = new EmbeddedChannel();
        ClientSession session = subscribedSession("c1", 30, connection);
        registry.closed(session, connection, null, 0);
        assertEquals(1, registry.size(), "kept until the interval has passed");
        assertEquals(List.of(30L), timer.pending());
        timer.fireDue();
        assertEquals(0, registry.size());
        assertTrue(session.isEnded());
        assertEquals(1, router.subscriptionCount(), "only the watcher's");
    }

    @Test
    void reconnectBeforeTheExpiryKeepsTheSession() {
        EmbeddedChannel first = new EmbeddedChannel();
        ClientSession session = subscribedSession("c1", 30, first);
        registry.closed(session, first, null, 0);
        Scheduled expiry = timer.scheduled.get(0);
        open("c1", false, 30, new EmbeddedChannel());
        assertTrue(expiry.isCancelled());
        expiry.run(); // already running when the reconnect cancelled it
        assertEquals(1, registry.size());
        assertFalse(session.isEnded());
    }

    @Test
    void sessionThatNeverExpiresHasNoExpiryTimer() {
        EmbeddedChannel connection = new EmbeddedChannel();
        ClientSession session = subscribedSession("c1", ClientSession.NEVER_EXPIRES, connection);
        registry.closed(session, connection, null, 0);
        assertEquals(List.of(), timer.pending());
        assertEquals(1, registry.size());
    }

    // ---- wills ----

    @Test
    void willIsPublishedWhenTheConnectionEndsWithoutDisconnect_MQTT_3_1_2_8() {
        EmbeddedChannel connection = new EmbeddedChannel();
        ClientSession session = open("c1", false, 0, connection).session();
        registry.closed(session, connection, will("c1"), 0);
        assertEquals(List.of("will of c1"), watcher.payloads());
    }

    @Test
    void willIsTimestampedWhenPublishedSoThatItsExpiryCountsFromThen() {
        EmbeddedChannel connection = new EmbeddedChannel();
        ClientSession session = open("c1", false, 0, connection).session();
        long before = System.currentTimeMillis();
        registry.closed(session, connection, will("c1"), 0);
        assertTrue(watcher.received.get(0).timestamp() >= before, "not the CONNECT's time");
    }

    @Test
    void willDelayHoldsTheWillUntilItsTimerFires_MQTT_3_1_3_9() {
        EmbeddedChannel connection = new EmbeddedChannel();
        ClientSession session = open("c1", false, 60, connection).session();
        registry.closed(session, connection, will("c1"), 5);
        assertEquals(List.of(), watcher.payloads());
        assertEquals(List.of(5L, 60L), timer.pending(), "the will's delay, then the session's expiry");
        timer.scheduled.get(0).run();
        assertEquals(List.of("will of c1"), watcher.payloads());
    }

    @Test
    void willDelayLongerThanTheSessionExpiryIsCutToIt() {
        EmbeddedChannel connection = new EmbeddedChannel();
        ClientSession session = open("c1", false, 10, connection).session();
        registry.closed(session, connection, will("c1"), 100);
        assertEquals(List.of(10L, 10L), timer.pending(), "published when the session ends at the latest");
    }

    @Test
    void reconnectWithinTheWillDelayCancelsTheWill_MQTT_3_1_3_9() {
        EmbeddedChannel first = new EmbeddedChannel();
        ClientSession session = open("c1", false, 60, first).session();
        registry.closed(session, first, will("c1"), 5);
        Scheduled willTimer = timer.scheduled.get(0);
        open("c1", false, 60, new EmbeddedChannel());
        assertTrue(willTimer.isCancelled());
        willTimer.run(); // already running when the reconnect cancelled it
        assertEquals(List.of(), watcher.payloads());
    }

    @Test
    void cleanStartWithinTheWillDelayEndsTheSessionAndPublishesTheWillAtOnce() {
        EmbeddedChannel first = new EmbeddedChannel();
        ClientSession session = open("c1", false, 60, first).session();
        registry.closed(session, first, will("c1"), 5);
        open("c1", true, 60, new EmbeddedChannel());
        assertEquals(List.of("will of c1"), watcher.payloads(), "the session it waited on has ended");
        timer.fireDue();
        assertEquals(List.of("will of c1"), watcher.payloads(), "once");
    }

    @Test
    void sessionExpiryPublishesAWillStillWaitingForItsDelay() {
        EmbeddedChannel connection = new EmbeddedChannel();
        ClientSession session = open("c1", false, 10, connection).session();
        registry.closed(session, connection, will("c1"), 100);
        Scheduled willTimer = timer.scheduled.get(0);
        Scheduled expiry = timer.scheduled.get(1);
        expiry.run();
        assertEquals(List.of("will of c1"), watcher.payloads());
        willTimer.run();
        assertEquals(List.of("will of c1"), watcher.payloads(), "once");
    }

    @Test
    void willOfATakenOverConnectionIsPublishedAtOnce_MQTT_3_1_4_3() {
        EmbeddedChannel first = new EmbeddedChannel();
        ClientSession session = open("c1", false, 60, first).session();
        open("c1", false, 60, new EmbeddedChannel());
        registry.closed(session, first, will("c1"), 0);
        assertEquals(List.of("will of c1"), watcher.payloads());
    }

    @Test
    void delayedWillOfATakenOverConnectionIsNotPublishedWhenTheSessionWasResumed_MQTT_3_1_3_9() {
        EmbeddedChannel first = new EmbeddedChannel();
        ClientSession session = open("c1", false, 60, first).session();
        open("c1", false, 60, new EmbeddedChannel());
        registry.closed(session, first, will("c1"), 5);
        timer.fireDue();
        assertEquals(List.of(), watcher.payloads(), "the new connection came within the delay");
    }

    @Test
    void delayedWillOfAConnectionTakenOverWithCleanStartIsPublished() {
        EmbeddedChannel first = new EmbeddedChannel();
        ClientSession session = open("c1", false, 60, first).session();
        open("c1", true, 60, new EmbeddedChannel());
        registry.closed(session, first, will("c1"), 5);
        assertEquals(List.of("will of c1"), watcher.payloads(), "its session has ended");
    }
}
