package io.mqttra.broker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * How many messages this node routed on each topic, and the first bytes of the latest one: what the Topics
 * MXBean and the dashboard's topic tree show. The memory is bounded by {@code maxTopics}: once that many topics
 * are tracked, a message on any other topic only adds to {@link #otherMessages()}, so that a publisher making up
 * topics cannot grow the heap (no eviction: which topic to forget would be a guess, and {@link #clear()} starts
 * afresh). {@code maxTopics} 0 turns the statistics off.
 *
 * <p>Counted on the publisher's I/O thread for every routed message, so the cost is what matters: one
 * {@link ConcurrentHashMap#get} (an insert the first time a topic is seen), an atomic add and one release
 * write of a small immutable record; no lock, and the payload is not copied when it fits the preview.
 */
public final class TopicStatistics {

    /** The bytes of the latest payload kept per topic. */
    public static final int PREVIEW_BYTES = 64;
    /** Statistics that count nothing. */
    public static final TopicStatistics OFF = new TopicStatistics(0);

    private final int maxTopics;
    private final ConcurrentHashMap<String, Counter> topics = new ConcurrentHashMap<>();
    /** Topics tracked, or claimed by a thread about to track one: exact where {@code topics.size()} is only an estimate. */
    private final AtomicInteger tracked = new AtomicInteger();
    private final LongAdder others = new LongAdder();

    public TopicStatistics(int maxTopics) {
        if (maxTopics < 0) {
            throw new IllegalArgumentException("maxTrackedTopics must be 0 or more, not " + maxTopics);
        }
        this.maxTopics = maxTopics;
    }

    /**
     * The latest message of a topic as far as the statistics keep it.
     *
     * @param head the payload's first {@link #PREVIEW_BYTES} bytes (the payload itself when it is no longer: never modify)
     * @param size the payload's full size
     * @param qos the QoS it was published with
     * @param retain whether it was published retained
     * @param at when the broker received it, epoch ms
     */
    public record Latest(byte[] head, int size, int qos, boolean retain, long at) {
    }

    /** One topic's figures at the moment they were read. */
    public record TopicFigures(String topic, long messages, Latest latest) {
    }

    /**
     * 64 bytes before a counter's fields: see {@link Counter}. The int fills the gap after the object header,
     * where the JVM would otherwise put a subclass's reference.
     */
    @SuppressWarnings("unused")
    private abstract static class PaddingBefore {
        int p0;
        long p1, p2, p3, p4, p5, p6, p7, p8;
    }

    /** A counter's fields, laid out after its superclass's and before its subclass's (the JVM keeps that order). */
    private abstract static class CounterFields extends PaddingBefore {
        volatile long count;
        Latest latest;
    }

    /**
     * A topic's counter: the count moves by an atomic add, the latest message is replaced whole with a release
     * write (a plain store on x86, no fence: readers need to see the record complete, not at once). Padded to a
     * cache line of its own on each side: counters made one after the other sit next to each other in memory, and
     * two I/O threads counting two topics would otherwise pass one cache line back and forth on every message
     * (about 130 bytes more a topic).
     */
    @SuppressWarnings("unused")
    private static final class Counter extends CounterFields {
        private static final VarHandle COUNT;
        private static final VarHandle LATEST;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                COUNT = lookup.findVarHandle(CounterFields.class, "count", long.class);
                LATEST = lookup.findVarHandle(CounterFields.class, "latest", Latest.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        long q1, q2, q3, q4, q5, q6, q7, q8;

        void add(PublishedMessage m) {
            COUNT.getAndAdd(this, 1L);
            byte[] payload = m.payload();
            // a payload is never modified once published, so a short one is kept as it is
            byte[] head = payload.length <= PREVIEW_BYTES ? payload : Arrays.copyOf(payload, PREVIEW_BYTES);
            LATEST.setRelease(this, new Latest(head, payload.length, m.qos(), m.retain(), m.timestamp()));
        }

        long count() {
            return (long) COUNT.getVolatile(this);
        }

        Latest latest() {
            return (Latest) LATEST.getAcquire(this);
        }
    }

    /** Counts a message routed by this node. */
    public void count(PublishedMessage message) {
        if (maxTopics == 0) {
            return;
        }
        Counter c = topics.get(message.topic());
        if (c == null) {
            c = track(message.topic());
            if (c == null) {
                others.increment();
                return;
            }
        }
        c.add(message);
    }

    /** The topic's counter, new when there is room for one more; null when {@code maxTopics} are tracked. */
    private Counter track(String topic) {
        if (tracked.incrementAndGet() > maxTopics) {
            tracked.decrementAndGet();
            // another thread may have tracked this very topic meanwhile
            return topics.get(topic);
        }
        Counter fresh = new Counter();
        Counter existing = topics.putIfAbsent(topic, fresh);
        if (existing != null) {
            tracked.decrementAndGet();
            return existing;
        }
        return fresh;
    }

    /** Topics tracked. */
    public int size() {
        return topics.size();
    }

    public int maxTopics() {
        return maxTopics;
    }

    /** Messages on topics that were not tracked because {@code maxTopics} topics were. */
    public long otherMessages() {
        return others.sum();
    }

    /**
     * Hands each tracked topic's figures to {@code action}, in no particular order. Weakly consistent, as the
     * map's iteration: counts moving meanwhile are read as they are at that moment.
     */
    public void forEach(BiConsumer<String, TopicFigures> action) {
        for (Map.Entry<String, Counter> e : topics.entrySet()) {
            Counter c = e.getValue();
            Latest latest = c.latest();
            if (latest != null) { // null: tracked a moment ago, its first message not yet recorded
                action.accept(e.getKey(), new TopicFigures(e.getKey(), c.count(), latest));
            }
        }
    }

    /** The figures of one topic, or null when it is not tracked. */
    public TopicFigures get(String topic) {
        Counter c = topics.get(topic);
        Latest latest = c == null ? null : c.latest();
        return latest == null ? null : new TopicFigures(topic, c.count(), latest);
    }

    /**
     * Forgets every topic and the count of others, so that tracking starts afresh (an operator's reset). A
     * message counted at the same moment may be counted before or after.
     *
     * @return how many topics were forgotten
     */
    public int clear() {
        int removed = 0;
        for (String topic : topics.keySet()) {
            if (topics.remove(topic) != null) {
                tracked.decrementAndGet();
                removed++;
            }
        }
        others.reset();
        return removed;
    }
}
