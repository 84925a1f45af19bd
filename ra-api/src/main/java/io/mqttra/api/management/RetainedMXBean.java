package io.mqttra.api.management;

/**
 * The retained messages (in memory, bounded by {@code maxRetainedMessages} and {@code maxRetainedBytes}).
 * Filters are MQTT topic filters, with the MQTT rule that a filter starting with a wildcard does not
 * match topics starting with {@code $}. Deletions are logged with the administrator's identity, and the
 * count and bytes stay exact.
 */
public interface RetainedMXBean {

    int getCount();

    /** What the retained messages weigh, as the bounds count them (payload plus twice the topic's length). */
    long getBytes();

    /** Retained messages the bounds did not keep. */
    long getRefused();

    /** The retained messages matching {@code filter}, ordered by topic, at most {@code limit} (1 to 1000). */
    RetainedMessageInfo[] find(String filter, int limit);

    /** How many retained messages match {@code filter}. */
    int count(String filter);

    /** Deletes the retained message of one topic; false when it had none. */
    boolean delete(String topic);

    /** Deletes every retained message matching {@code filter}; returns how many. */
    int deleteMatching(String filter);
}
