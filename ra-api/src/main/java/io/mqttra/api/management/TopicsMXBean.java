package io.mqttra.api.management;

/**
 * The topics this node routed messages on: a count and the latest payload's first bytes per topic, a paged
 * list found by an MQTT topic filter, and the topic tree level by level with the figures added up (what the
 * console's topic tree shows).
 *
 * <p>Bounded by the adapter property {@code maxTrackedTopics} (10,000 by default): once that many topics are
 * tracked, messages on further topics add only to {@link #getOtherMessages()}, until {@link #reset()}. Each
 * node of a cluster counts the messages its own clients and applications publish (as the Broker MXBean's
 * {@code MessagesReceived}); the broker's {@code $SYS} topics are counted too. Reading takes no lock the
 * broker's I/O threads wait for: a message counted while a page is read may or may not be on it.
 */
public interface TopicsMXBean {

    /** Topics tracked. */
    int getCount();

    /** The adapter property {@code maxTrackedTopics}: topics tracked at most; 0 when the statistics are off. */
    int getMaxTrackedTopics();

    /** Messages on topics that were not tracked because {@code maxTrackedTopics} topics were. */
    long getOtherMessages();

    /**
     * A page of the tracked topics matching {@code filter}, ordered by topic.
     *
     * @param filter an MQTT topic filter or topic name; as in MQTT, {@code #} leaves out the topics starting
     *     with {@code $} [MQTT-4.7.2-1], {@code $SYS/#} lists those
     * @param offset how many matching topics to skip
     * @param limit at most this many (1 to 1000)
     */
    TopicInfo[] list(String filter, int offset, int limit);

    /** How many tracked topics match {@code filter}, all pages together. */
    int count(String filter);

    /**
     * A page of the levels right below {@code path}, ordered by name, each with the figures of the tracked
     * topics at and below it added up.
     *
     * @param path {@code ""} for the top of the tree, else a {@link TopicLevelInfo#path()} (topic levels joined
     *     by {@code /}, no wildcards). Topics starting with {@code /} have an empty first level, whose path is
     *     {@code ""} too: {@code list("/#", ...)} finds them
     * @param offset how many levels to skip
     * @param limit at most this many (1 to 1000)
     */
    TopicLevelInfo[] children(String path, int offset, int limit);

    /** Forgets every tracked topic and the count of others, so that counting starts afresh; returns how many topics went. */
    int reset();
}
