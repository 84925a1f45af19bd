package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.api.MqttTopics;
import io.mqttra.broker.PublishedMessage.Mqtt5Properties;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Which retained messages a new subscription gets (MQTT 3.1.1 sections 3.3.1.3 and 4.7): the same as
 * matching every retained topic against the filter one by one, found without visiting them all.
 */
class RetainedMatchingTest {

    private static final long SEED = 20261202L;

    private static PublishedMessage retained(String topic, int payloadBytes) {
        return new PublishedMessage(topic, new byte[payloadBytes], 0, true, "c", null, System.currentTimeMillis(),
                Mqtt5Properties.NONE);
    }

    private static TreeSet<String> topics(List<PublishedMessage> messages) {
        return messages.stream().map(PublishedMessage::topic).collect(Collectors.toCollection(TreeSet::new));
    }

    /** A random topic name or filter from a few levels, so that random ones share branches and match. */
    private static String randomLevels(Random random, String[] alphabet, boolean filter) {
        int depth = 1 + random.nextInt(4);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            if (i > 0) {
                s.append('/');
            }
            if (filter && i == depth - 1 && random.nextInt(4) == 0) {
                s.append('#');
            } else {
                s.append(alphabet[random.nextInt(alphabet.length)]);
            }
        }
        return s.toString();
    }

    @Test
    void findsWhatMatchingEveryTopicOneByOneFinds_onRandomTopicsAndFilters() {
        Random random = new Random(SEED);
        String[] topicLevels = {"a", "b", "c", "", "$s", "$"};
        String[] filterLevels = {"a", "b", "", "$s", "+", "+"};
        for (int round = 0; round < 200; round++) {
            RetainedMessages retained = new RetainedMessages();
            Map<String, Integer> expected = new HashMap<>();
            for (int op = 0; op < 60; op++) {
                String topic = randomLevels(random, topicLevels, false);
                if (MqttTopics.topicNameProblem(topic) != null) {
                    continue;
                }
                // a third of the operations delete [MQTT-3.3.1-10], so pruned branches are matched again
                int bytes = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(5);
                retained.store(retained(topic, bytes));
                if (bytes == 0) {
                    expected.remove(topic);
                } else {
                    expected.put(topic, bytes);
                }
            }
            assertEquals(expected.size(), retained.size(), "round " + round);
            for (int f = 0; f < 50; f++) {
                String filter = randomLevels(random, filterLevels, true);
                if (MqttTopics.topicFilterProblem(filter) != null) {
                    continue;
                }
                TreeSet<String> oneByOne = expected.keySet().stream().filter(t -> MqttTopics.matches(filter, t))
                        .collect(Collectors.toCollection(TreeSet::new));
                List<PublishedMessage> found = retained.matching(filter, System.currentTimeMillis());
                assertEquals(oneByOne, topics(found), "seed " + SEED + ", round " + round + ", filter '" + filter + "'");
                assertEquals(oneByOne.size(), found.size(), "each topic once, filter '" + filter + "'");
            }
            expected.keySet().forEach(t -> retained.store(retained(t, 0)));
            assertEquals(0, retained.nodeCount(), "deleting every message prunes every branch, round " + round);
        }
    }

    @Test
    void wildcardsAtTheFirstLevelDoNotMatchDollarTopics_MQTT_4_7_2_1() {
        RetainedMessages retained = new RetainedMessages();
        for (String t : new String[] {"$SYS/broker/uptime", "$SYS", "sensors/$SYS", "sensors/t"}) {
            retained.store(retained(t, 1));
        }
        long now = System.currentTimeMillis();
        assertEquals(new TreeSet<>(List.of("sensors/$SYS", "sensors/t")), topics(retained.matching("#", now)));
        assertEquals(new TreeSet<>(List.of("sensors/$SYS", "sensors/t")), topics(retained.matching("+/+", now)));
        assertEquals(new TreeSet<>(), topics(retained.matching("+/broker/uptime", now)));
        assertEquals(new TreeSet<>(List.of("$SYS", "$SYS/broker/uptime")), topics(retained.matching("$SYS/#", now)),
                "a filter that names the $ level matches, its parent level too [MQTT-4.7.1-2]");
        assertEquals(new TreeSet<>(List.of("$SYS/broker/uptime")), topics(retained.matching("$SYS/+/uptime", now)));
        assertEquals(new TreeSet<>(List.of("sensors/$SYS", "sensors/t")), topics(retained.matching("sensors/+", now)),
                "'$' below the first level is an ordinary character");
    }

    @Test
    void aMultiLevelWildcardMatchesItsParentLevelAndEmptyLevels_MQTT_4_7_1_2() {
        RetainedMessages retained = new RetainedMessages();
        for (String t : new String[] {"sport", "sport/", "sport/tennis", "/sport", "sports"}) {
            retained.store(retained(t, 1));
        }
        long now = System.currentTimeMillis();
        assertEquals(new TreeSet<>(List.of("sport", "sport/", "sport/tennis")), topics(retained.matching("sport/#", now)));
        assertEquals(new TreeSet<>(List.of("sport/", "sport/tennis")), topics(retained.matching("sport/+", now)));
        assertEquals(new TreeSet<>(List.of("/sport")), topics(retained.matching("+/sport", now)));
        assertEquals(new TreeSet<>(List.of("/sport")), topics(retained.matching("/sport", now)));
    }

    /**
     * A narrow filter visits the branches it can match, not every retained message: 100,000 retained
     * elsewhere cost a subscription to one device's topics nothing. Counted, not timed.
     */
    @Test
    void aNarrowFilterVisitsItsBranchesNotEveryRetainedMessage() {
        RetainedMessages retained = new RetainedMessages();
        for (int site = 0; site < 100; site++) {
            for (int dev = 0; dev < 1000; dev++) {
                retained.store(retained("site/" + site + "/dev/" + dev + "/state", 8));
            }
        }
        assertEquals(100_000, retained.size());
        long now = System.currentTimeMillis();
        record Lookup(String filter, int matches, int mostNodes) {
        }
        // nodes on the way (root, site, 7, dev, ...) plus the matched branches
        List<Lookup> lookups = List.of(
                new Lookup("site/7/dev/42/state", 1, 6),
                new Lookup("site/7/dev/42/#", 1, 7),
                new Lookup("site/7/dev/+/state", 1000, 2005),
                new Lookup("site/+/dev/42/state", 100, 402),
                new Lookup("elsewhere/#", 0, 1));
        for (Lookup l : lookups) {
            long before = retained.nodesVisited();
            assertEquals(l.matches(), retained.matching(l.filter(), now).size(), l.filter());
            long visited = retained.nodesVisited() - before;
            assertTrue(visited <= l.mostNodes(), l.filter() + " visited " + visited + " nodes for " + l.matches()
                    + " of 100,000 retained messages; at most " + l.mostNodes() + " lie on its branches");
        }
    }

    /**
     * Pruning empty branches while other threads add to them loses nothing: each thread owns its topics,
     * so its last write to each is what must be there, while the branches they share are pruned and
     * grown again under it.
     */
    @Test
    void pruningEmptyBranchesNeverLosesAConcurrentInsert() throws Exception {
        int threads = 4;
        RetainedMessages retained = new RetainedMessages();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Map<String, Integer>>> owners = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                owners.add(pool.submit(() -> {
                    Random random = new Random(SEED + thread);
                    Map<String, Integer> last = new HashMap<>();
                    // one shared branch: a/b is pruned whenever all four threads' topics are empty at once
                    String[] mine = {"a/b/" + thread, "a/b/" + thread + "/x", "a/" + thread};
                    start.await();
                    for (int i = 0; i < 200_000; i++) {
                        String topic = mine[random.nextInt(mine.length)];
                        int bytes = random.nextBoolean() ? 0 : 1 + random.nextInt(4);
                        retained.store(retained(topic, bytes));
                        last.put(topic, bytes);
                    }
                    return last;
                }));
            }
            start.countDown();
            Map<String, Integer> expected = new HashMap<>();
            for (Future<Map<String, Integer>> f : owners) {
                f.get(60, TimeUnit.SECONDS).forEach((topic, bytes) -> {
                    if (bytes > 0) {
                        expected.put(topic, bytes);
                    }
                });
            }
            long now = System.currentTimeMillis();
            for (String topic : expected.keySet()) {
                List<PublishedMessage> found = retained.matching(topic, now);
                assertEquals(1, found.size(), topic + " was written last with a payload, and is gone");
                assertEquals(expected.get(topic), found.get(0).payload().length, topic);
            }
            assertEquals(new TreeSet<>(expected.keySet()), topics(retained.matching("#", now)));
            assertEquals(expected.size(), retained.size());
            assertEquals(expected.entrySet().stream().mapToLong(e -> e.getValue() + 2L * e.getKey().length()).sum(),
                    retained.bytes());
        } finally {
            pool.shutdownNow();
        }
    }
}
