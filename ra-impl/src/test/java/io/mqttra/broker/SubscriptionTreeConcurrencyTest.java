package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.broker.SubscriptionTreeTest.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The topic-filter trie under threads: subscribe and unsubscribe of unrelated filters do not wait for
 * each other, and no subscriber is lost to a branch being pruned, nor left behind by an unsubscribe.
 */
class SubscriptionTreeConcurrencyTest {

    private static final String PUBLISHER = "publisher";

    private final SubscriptionTree tree = new SubscriptionTree();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    /**
     * A subscriber whose {@code hashCode} stops, when told to, until released: a stand-in for a thread
     * descheduled in the middle of a subscribe or unsubscribe, which on two busy cores lasts a scheduling
     * quantum or more. The tree hashes the subscriber while it changes the members of its node.
     */
    static final class Stalling extends Member {
        final CountDownLatch stalled = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean stall;

        Stalling(String id) {
            super(id);
        }

        @Override
        public int hashCode() {
            if (stall) {
                stalled.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.hashCode();
        }
    }

    /** A new subscriber with one subscription. */
    private Member subscribed(String id, Subscription.Builder subscription) {
        Member m = new Member(id);
        tree.subscribe(m, subscription.build());
        return m;
    }

    private boolean receives(Member m, String topic) {
        return tree.match(topic, PUBLISHER).stream().anyMatch(t -> t.subscriber() == m);
    }

    // ---- no waiting between unrelated filters ----

    @Test
    void subscribeDoesNotWaitForASubscribeToAnUnrelatedFilter() throws Exception {
        Stalling stalled = new Stalling("stalled");
        stalled.stall = true;
        Future<?> first = threads.submit(() -> tree.subscribe(stalled, Subscription.to("plant/1/temp").build()));
        try {
            assertTrue(stalled.stalled.await(5, TimeUnit.SECONDS), "the first subscribe got under way");
            Member other = new Member("other");
            Future<?> second = threads.submit(() -> tree.subscribe(other, Subscription.to("office/+/door").build()));
            second.get(2, TimeUnit.SECONDS); // TimeoutException: it waited for the stalled one
            assertTrue(receives(other, "office/3/door"));
        } finally {
            stalled.release.countDown();
        }
        first.get(5, TimeUnit.SECONDS);
        assertTrue(receives(stalled, "plant/1/temp"));
    }

    @Test
    void unsubscribeAndSubscribeDoNotWaitForAnUnsubscribeFromAnUnrelatedFilter() throws Exception {
        Stalling stalled = new Stalling("stalled");
        tree.subscribe(stalled, Subscription.to("plant/1/temp").build());
        Member other = subscribed("other", Subscription.to("office/+/door"));
        stalled.stall = true;
        Future<Boolean> first = threads.submit(() -> tree.unsubscribe(stalled, "plant/1/temp", null));
        try {
            assertTrue(stalled.stalled.await(5, TimeUnit.SECONDS), "the first unsubscribe got under way");
            Future<?> second = threads.submit(() -> {
                assertTrue(tree.unsubscribe(other, "office/+/door", null));
                return tree.subscribe(other, Subscription.to("office/#").build());
            });
            second.get(2, TimeUnit.SECONDS);
            assertTrue(receives(other, "office/3/door"));
        } finally {
            stalled.release.countDown();
        }
        assertTrue(first.get(5, TimeUnit.SECONDS));
        assertFalse(receives(stalled, "plant/1/temp"));
    }

    // ---- nothing lost, nothing stale ----

    /**
     * Threads subscribe to filters whose branches overlap, each check at once that the subscription
     * matches (not lost in a branch another thread was pruning), unsubscribe and check that it no longer
     * matches (not left behind), over and over: every subscribe grows nodes that other threads' unsubscribes
     * prune. The shared groups have one member each, so that its pick is that member.
     */
    @Test
    void subscriptionsAreNeverLostToAPrunedBranchNorLeftBehind() throws Exception {
        List<String> filters = List.of("site/hall/line/cell", "site/+/line/cell", "site/hall/#", "site/hall/line/+",
                "site/#", "+/hall/line/cell", "site/hall/line/cell/#");
        String topic = "site/hall/line/cell";
        int workers = 4;
        int rounds = 20_000;
        CountDownLatch start = new CountDownLatch(workers);
        List<Future<String>> runs = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Member me = new Member("worker-" + w);
            String group = "g" + w;
            int offset = w;
            runs.add(threads.submit(() -> {
                start.countDown();
                start.await();
                for (int i = 0; i < rounds; i++) {
                    String filter = filters.get((i + offset) % filters.size());
                    String shareGroup = i % 3 == 0 ? group : null;
                    Subscription s = Subscription.to(filter).sharedBy(shareGroup).build();
                    if (tree.subscribe(me, s)) {
                        return "round " + i + ": " + s.key() + " was there before it was subscribed";
                    }
                    if (!receives(me, topic)) {
                        return "round " + i + ": " + s.key() + " lost right after it was subscribed";
                    }
                    if (!tree.unsubscribe(me, filter, shareGroup)) {
                        return "round " + i + ": " + s.key() + " not found to unsubscribe";
                    }
                    if (receives(me, topic)) {
                        return "round " + i + ": " + s.key() + " still matches after it was unsubscribed";
                    }
                }
                return null;
            }));
        }
        for (Future<String> run : runs) {
            assertEquals(null, run.get(60, TimeUnit.SECONDS));
        }
        assertEquals(0, tree.size());
        assertTrue(tree.root.isEmpty(), "no node left behind: " + new TreeSet<>(tree.root.children.keySet()));
    }

    /**
     * Publishers' threads match while other threads subscribe and unsubscribe on the same nodes and on
     * branches below them that are pruned and grown again. Every message must reach every subscriber
     * that was there for the whole run, once, and nothing may be left behind once all have gone. The
     * churners also join and leave a shared group of their own at the stable members' node.
     */
    @Test
    void concurrentSubscribeUnsubscribeAndMatchLoseNothingAndLeakNothing() throws Exception {
        String topic = "load/room/temp";
        Member exact = subscribed("exact", Subscription.to(topic));
        Member plus = subscribed("plus", Subscription.to("load/+/temp"));
        Member hash = subscribed("hash", Subscription.to("load/#"));
        Member loneMember = subscribed("lone member", Subscription.to(topic).sharedBy("stable"));
        Set<String> stable = Set.of("exact", "plus", "hash", "lone member");

        int routers = 2;
        int churners = 2;
        int messagesPerRouter = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(routers + churners);
        // the routers start once every churner is busy, so that the two overlap even on one core
        CountDownLatch churning = new CountDownLatch(churners);
        AtomicBoolean routing = new AtomicBoolean(true);
        Map<String, AtomicLong> received = new ConcurrentHashMap<>();
        try {
            List<Future<?>> routerRuns = new ArrayList<>();
            for (int r = 0; r < routers; r++) {
                routerRuns.add(pool.submit(() -> {
                    churning.await();
                    for (int i = 0; i < messagesPerRouter; i++) {
                        for (SubscriptionTree.Target t : tree.match(topic, PUBLISHER)) {
                            received.computeIfAbsent(t.subscriber().subscriberId(), k -> new AtomicLong()).incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            List<Future<?>> churnRuns = new ArrayList<>();
            for (int c = 0; c < churners; c++) {
                Member visitor = new Member("visitor-" + c);
                churnRuns.add(pool.submit(() -> {
                    List<String> filters = List.of(topic, "load/+/temp", "load/room/temp/deep/#", "load/other/x");
                    do {
                        for (String f : filters) {
                            tree.subscribe(visitor, Subscription.to(f).build());
                        }
                        tree.subscribe(visitor, Subscription.to(topic).sharedBy("churn").build());
                        for (String f : filters) {
                            tree.unsubscribe(visitor, f, null);
                        }
                        tree.unsubscribe(visitor, topic, "churn");
                        churning.countDown();
                    } while (routing.get());
                    return null;
                }));
            }
            try {
                for (Future<?> f : routerRuns) {
                    f.get(10, TimeUnit.SECONDS);
                }
            } finally {
                routing.set(false); // the churners stop even when a router failed
            }
            for (Future<?> f : churnRuns) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        Map<String, Long> stableCounts = received.entrySet().stream().filter(e -> stable.contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()));
        long all = (long) routers * messagesPerRouter;
        assertEquals(Map.of("exact", all, "plus", all, "hash", all, "lone member", all), stableCounts);

        tree.unsubscribe(exact, topic, null);
        tree.unsubscribe(plus, "load/+/temp", null);
        tree.unsubscribe(hash, "load/#", null);
        tree.unsubscribe(loneMember, topic, "stable");
        assertEquals(0, tree.size());
        assertTrue(tree.root.isEmpty(), "no node left behind: " + new TreeSet<>(tree.root.children.keySet()));
    }
}
