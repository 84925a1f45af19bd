package io.mqttra.broker;

import io.mqttra.api.MqttTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * The last retained message of each topic (MQTT 3.1.1 section 3.3.1.3), in memory, bounded in count
 * and bytes: clients choose what is retained, and the heap is the server's. A message beyond the
 * bounds is still delivered, but not kept (counted, and logged at most once per 10 s). Under
 * concurrent publishes to new topics the count may pass its bound by a few.
 */
public final class RetainedMessages {

    private static final RateLimitedLog REFUSALS = new RateLimitedLog(Logger.getLogger(RetainedMessages.class.getName()), 10_000);

    private final ConcurrentHashMap<String, PublishedMessage> byTopic = new ConcurrentHashMap<>();
    private final int maxMessages;
    private final long maxBytes;
    private final AtomicLong bytes = new AtomicLong();
    private final LongAdder refused = new LongAdder();

    /** Without bounds. */
    public RetainedMessages() {
        this(Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    public RetainedMessages(int maxMessages, long maxBytes) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /**
     * Stores {@code message} as its topic's retained message; a zero-length payload deletes the
     * topic's retained message instead [MQTT-3.3.1-10].
     *
     * @return false when the bounds left no room for it (it replaces nothing then)
     */
    public boolean store(PublishedMessage message) {
        String topic = message.topic();
        if (message.payload().length == 0) {
            PublishedMessage old = byTopic.remove(topic);
            if (old != null) {
                bytes.addAndGet(-weight(old));
            }
            return true;
        }
        long weight = weight(message);
        boolean[] kept = {true};
        byTopic.compute(topic, (t, old) -> {
            long delta = weight - (old == null ? 0 : weight(old));
            if ((old == null && byTopic.size() >= maxMessages) || (delta > 0 && bytes.get() + delta > maxBytes)) {
                kept[0] = false;
                return old;
            }
            bytes.addAndGet(delta);
            return message;
        });
        if (!kept[0]) {
            refused.increment();
            REFUSALS.info(() -> "Retained messages are at their bound (maxRetainedMessages " + maxMessages
                    + ", maxRetainedBytes " + maxBytes + "): the one on " + topic + " was delivered but not kept");
        }
        return kept[0];
    }

    /** What a retained message costs, roughly: its payload and its topic. */
    private static long weight(PublishedMessage m) {
        return m.payload().length + 2L * m.topic().length();
    }

    /**
     * The retained messages whose topics match {@code filter}; expired ones are removed instead
     * (MQTT 5.0 section 3.3.2.3.3).
     */
    public List<PublishedMessage> matching(String filter, long now) {
        List<PublishedMessage> result = new ArrayList<>();
        if (!MqttTopics.isWildcard(filter)) {
            PublishedMessage m = byTopic.get(filter);
            if (m != null) {
                result.add(m);
            }
        } else {
            for (PublishedMessage m : byTopic.values()) {
                if (MqttTopics.matches(filter, m.topic())) {
                    result.add(m);
                }
            }
        }
        result.removeIf(m -> {
            if (m.isExpired(now)) {
                if (byTopic.remove(m.topic(), m)) {
                    bytes.addAndGet(-weight(m));
                }
                return true;
            }
            return false;
        });
        return result;
    }

    public int size() {
        return byTopic.size();
    }

    /** Bytes the retained messages take, as the bounds count them. */
    public long bytes() {
        return bytes.get();
    }

    /** Retained messages not kept because of the bounds. */
    public long refused() {
        return refused.sum();
    }
}
