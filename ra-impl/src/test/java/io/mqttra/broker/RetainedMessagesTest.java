package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.broker.PublishedMessage.Mqtt5Properties;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Retained messages are bounded in count and bytes, as clients decide what is retained. */
class RetainedMessagesTest {

    private static PublishedMessage retained(String topic, int payloadBytes) {
        return new PublishedMessage(topic, new byte[payloadBytes], 0, true, "c", null, System.currentTimeMillis(),
                Mqtt5Properties.NONE);
    }

    @Test
    void beyondTheCountANewTopicIsNotKeptButAKnownOneIsReplaced() {
        RetainedMessages r = new RetainedMessages(2, Long.MAX_VALUE);
        assertTrue(r.store(retained("a", 1)));
        assertTrue(r.store(retained("b", 1)));
        assertFalse(r.store(retained("c/d", 1)), "a third topic");
        assertEquals(2, r.nodeCount(), "no branch is left for the topic refused");
        assertTrue(r.store(retained("a", 5)), "a topic that has one already is replaced");
        assertEquals(2, r.size());
        assertEquals(1, r.refused());
        assertTrue(r.store(retained("a", 0)), "an empty payload deletes [MQTT-3.3.1-10]");
        assertTrue(r.store(retained("c", 1)), "room again");
    }

    @Test
    void beyondTheBytesNothingGrowsAndTheCountOfBytesFollowsReplacementsAndDeletions() {
        RetainedMessages r = new RetainedMessages(Integer.MAX_VALUE, 100);
        assertTrue(r.store(retained("t", 50)));
        assertEquals(52, r.bytes(), "payload and topic");
        assertFalse(r.store(retained("u", 60)));
        assertFalse(r.store(retained("t", 120)), "a replacement that would not fit keeps the old one");
        assertEquals(50, r.matching("t", System.currentTimeMillis()).get(0).payload().length);
        assertTrue(r.store(retained("t", 10)), "a smaller replacement always fits");
        assertEquals(12, r.bytes());
        r.store(retained("t", 0));
        assertEquals(0, r.bytes());
    }

    /** Threads that publish retained messages to new topics at once never take the count past its bound. */
    @Test
    void theCountBoundHoldsExactlyUnderConcurrentPublishesToNewTopics() throws Exception {
        int bound = 1000;
        int threads = 4;
        int perThread = 5000;
        RetainedMessages r = new RetainedMessages(bound, Long.MAX_VALUE);
        AtomicInteger mostSeen = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            while (!done.get()) {
                mostSeen.accumulateAndGet(r.size(), Math::max);
            }
        });
        watcher.start();
        AtomicInteger kept = new AtomicInteger();
        runConcurrently(threads, t -> {
            for (int i = 0; i < perThread; i++) {
                if (r.store(retained("t/" + t + "/" + i, 1))) {
                    kept.incrementAndGet();
                }
            }
        });
        done.set(true);
        watcher.join();
        assertEquals(bound, r.size());
        assertEquals(bound, kept.get(), "stores that said they kept their message");
        assertEquals((long) threads * perThread - bound, r.refused());
        assertTrue(mostSeen.get() <= bound, "the count reached " + mostSeen.get());
    }

    /**
     * Count and bytes follow every replacement and deletion exactly while threads set and clear the same
     * topics: at the end they are what the messages left in the store add up to.
     */
    @Test
    void countAndBytesStayExactUnderConcurrentSetAndClear() throws Exception {
        RetainedMessages r = new RetainedMessages(Integer.MAX_VALUE, 2_000);
        runConcurrently(4, t -> {
            Random random = new Random(t);
            for (int i = 0; i < 100_000; i++) {
                String topic = "shared/" + random.nextInt(20) + (random.nextBoolean() ? "" : "/below");
                r.store(retained(topic, random.nextInt(3) == 0 ? 0 : random.nextInt(60)));
                assertTrue(r.bytes() <= 2_000, "bytes " + r.bytes());
            }
        });
        List<PublishedMessage> left = r.matching("#", System.currentTimeMillis());
        assertEquals(left.size(), r.size());
        assertEquals(left.stream().mapToLong(m -> m.payload().length + 2L * m.topic().length()).sum(), r.bytes());
        left.forEach(m -> r.store(retained(m.topic(), 0)));
        assertEquals(0, r.size());
        assertEquals(0, r.bytes());
        assertEquals(0, r.nodeCount(), "every branch pruned");
    }

    private interface Work {
        void run(int thread) throws Exception;
    }

    private static void runConcurrently(int threads, Work work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                running.add(pool.submit(() -> {
                    start.await();
                    work.run(thread);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
