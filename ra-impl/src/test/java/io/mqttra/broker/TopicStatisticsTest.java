package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Per-topic counts and latest payloads, bounded by the number of topics. */
class TopicStatisticsTest {

    private static PublishedMessage message(String topic, byte[] payload, long at) {
        return new PublishedMessage(topic, payload, 1, false, "c", null, at, PublishedMessage.Mqtt5Properties.NONE);
    }

    @Test
    void countsEachTopicAndKeepsItsLatestMessage() {
        TopicStatistics s = new TopicStatistics(10);
        s.count(message("a/b", new byte[] {1}, 100));
        s.count(message("a/b", new byte[] {2}, 200));
        s.count(message("a/c", new byte[] {3}, 300));
        TopicStatistics.TopicFigures ab = s.get("a/b");
        assertEquals(2, ab.messages());
        assertArrayEquals(new byte[] {2}, ab.latest().head());
        assertEquals(200, ab.latest().at());
        assertEquals(2, s.size());
        assertNull(s.get("a"), "a level is no topic");
    }

    @Test
    void keepsOnlyTheFirstBytesOfALargePayloadAndAShortOneAsItIs() {
        TopicStatistics s = new TopicStatistics(10);
        byte[] large = new byte[1000];
        Arrays.fill(large, (byte) 'x');
        s.count(message("big", large, 1));
        assertEquals(TopicStatistics.PREVIEW_BYTES, s.get("big").latest().head().length);
        assertEquals(1000, s.get("big").latest().size());
        byte[] small = {1, 2, 3};
        s.count(message("small", small, 1));
        assertSame(small, s.get("small").latest().head(), "no copy on the publish path");
    }

    @Test
    void beyondMaxTopicsMessagesOnNewTopicsOnlyAddToOthers() {
        TopicStatistics s = new TopicStatistics(2);
        s.count(message("t1", new byte[0], 1));
        s.count(message("t2", new byte[0], 1));
        s.count(message("t3", new byte[0], 1));
        s.count(message("t3", new byte[0], 1));
        s.count(message("t1", new byte[0], 1));
        assertEquals(2, s.size());
        assertNull(s.get("t3"));
        assertEquals(2, s.get("t1").messages(), "tracked topics keep counting");
        assertEquals(2, s.otherMessages());
    }

    @Test
    void threadsRacingForTheLastPlacesNeverTrackMoreThanMaxTopics() throws Exception {
        TopicStatistics s = new TopicStatistics(100);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            pool.execute(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 1000; i++) {
                    s.count(message("t/" + ((i * 7 + thread) % 300), new byte[0], i));
                }
            });
        }
        go.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        assertEquals(100, s.size());
        long[] counted = {0};
        s.forEach((topic, f) -> counted[0] += f.messages());
        assertEquals(4000, counted[0] + s.otherMessages(), "every message counted once, tracked or other");
    }

    @Test
    void clearForgetsEverythingAndMakesRoomAgain() {
        TopicStatistics s = new TopicStatistics(1);
        s.count(message("t1", new byte[0], 1));
        s.count(message("t2", new byte[0], 1));
        assertEquals(1, s.clear());
        assertEquals(0, s.size());
        assertEquals(0, s.otherMessages());
        s.count(message("t2", new byte[0], 1));
        assertEquals(1, s.get("t2").messages(), "room for a new topic");
    }

    @Test
    void zeroMaxTopicsCountsNothing() {
        TopicStatistics s = new TopicStatistics(0);
        s.count(message("t", new byte[0], 1));
        assertEquals(0, s.size());
        assertEquals(0, s.otherMessages(), "off, not full");
        List<String> seen = new ArrayList<>();
        s.forEach((topic, f) -> seen.add(topic));
        assertTrue(seen.isEmpty());
    }

    @Test
    void theRouterCountsWhatItRoutes() {
        TopicStatistics s = new TopicStatistics(10);
        MessageRouter router = new MessageRouter(new RetainedMessages(), ClusterBus.NONE, s);
        router.route(message("x/y", new byte[] {9}, 5));
        assertEquals(1, s.get("x/y").messages());
    }
}
