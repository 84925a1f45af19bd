package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.broker.SessionRegistryTest.ManualTimer;
import io.mqttra.broker.SessionRegistryTest.WillWatcher;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An administrator's deletion of a session ({@link SessionRegistry#delete}): it ends the session as its
 * expiry would, whether connected or not, hands over the connection to close, and keeps the registry
 * consistent when the client reconnects at the same moment.
 */
class SessionDeletionTest {

    private static final ConnectionLimits LIMITS = ConnectionLimits.unlimited(10);

    private final MessageRouter router = new MessageRouter();
    private final SessionRegistry registry = new SessionRegistry(BrokerConfig.builder().build(), router, new BrokerStats(),
            new ManualTimer());
    private final WillWatcher watcher = new WillWatcher();

    SessionDeletionTest() {
        router.subscribe(watcher, Subscription.to("wills/#").build());
    }

    @Test
    void deletingAnOfflineSessionEndsItDropsItsSubscriptionsAndPublishesItsDelayedWill() {
        EmbeddedChannel connection = new EmbeddedChannel();
        ClientSession session = registry.open("c1", false, 3600, connection, LIMITS).session();
        Subscription s = Subscription.to("a/#").build();
        session.addSubscription(s);
        router.subscribe(session.outbox(), s);
        registry.closed(session, connection, new PublishedMessage("wills/c1", "gone".getBytes(StandardCharsets.UTF_8), 0,
                false, "c1", null, 0, PublishedMessage.Mqtt5Properties.NONE), 600);
        assertEquals(List.of(), watcher.payloads(), "the will waits for its delay");

        List<Channel> closed = new ArrayList<>();
        assertTrue(registry.delete("c1", closed::add));
        assertTrue(session.isEnded());
        assertNull(registry.get("c1"));
        assertEquals(1, router.subscriptionCount(), "only the watcher's: the session's subscription went");
        assertEquals(List.of("gone"), watcher.payloads(), "the delayed will is published when the session ends");
        assertEquals(List.of(), closed, "no connection to close");
        assertFalse(registry.delete("c1", closed::add));
    }

    @Test
    void deletingAConnectedSessionDetachesItsConnectionBeforeItIsClosed() {
        EmbeddedChannel connection = new EmbeddedChannel();
        ClientSession session = registry.open("c1", false, 3600, connection, LIMITS).session();
        List<Channel> closed = new ArrayList<>();
        assertTrue(registry.delete("c1", closed::add));
        assertEquals(List.of(connection), closed);
        assertNull(session.channel(), "the connection no longer speaks for the session");
        // its close afterwards is a taken-over connection's: nothing to end twice, the registry stays empty
        registry.closed(session, connection, null, 0);
        assertEquals(0, registry.size());
        assertTrue(registry.open("c1", false, 3600, new EmbeddedChannel(), LIMITS) != null, "the client may come back");
    }

    @Test
    void deletionsRacingReconnectsLeaveEveryMappedSessionAliveAndTheCountExact() throws Exception {
        SessionRegistry registry = new SessionRegistry(BrokerConfig.builder().maxClientSessions(1).build(), router,
                new BrokerStats(), new ManualTimer());
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 500; round++) {
                List<Future<?>> work = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    work.add(threads.submit(() -> {
                        EmbeddedChannel c = new EmbeddedChannel();
                        registry.open("c1", false, 3600, c, LIMITS);
                    }));
                }
                work.add(threads.submit(() -> registry.delete("c1", ch -> { })));
                for (Future<?> f : work) {
                    f.get(10, TimeUnit.SECONDS);
                }
                ClientSession mapped = registry.get("c1");
                if (mapped != null) {
                    assertFalse(mapped.isEnded(), "round " + round + ": the registry maps an ended session");
                    assertSame(mapped, registry.all().next());
                }
                assertEquals(mapped == null ? 0 : 1, registry.size(), "round " + round);
                if (mapped == null) {
                    // maxClientSessions 1: a session count left behind by a deletion would refuse this one
                    assertTrue(registry.open("other", true, 0, new EmbeddedChannel(), LIMITS) != null, "round " + round);
                    registry.delete("other", ch -> { });
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
