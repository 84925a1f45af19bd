package io.mqttra.api.management;

/**
 * The subscriptions of MQTT clients and of message-driven beans, found by an MQTT topic filter.
 *
 * <p>{@code filter} selects the subscriptions that can receive a message the filter matches: those whose
 * own filter matches at least one topic that {@code filter} matches too. For a topic name that answers
 * "who receives {@code sensors/room1/temp}?" ({@code sensors/room1/temp}, {@code sensors/+/temp},
 * {@code sensors/#}, {@code #}); for a filter it answers "who receives anything under {@code sensors/#}?"
 * (those, and {@code sensors/+/humidity}, {@code +/room2/#}, ...). {@code #} lists them all but those
 * on {@code $} topics: as in MQTT, a filter starting with a wildcard matches no topic starting with
 * {@code $} [MQTT-4.7.2-1], so {@code $SYS/#} finds the subscriptions to {@code $SYS}.
 *
 * <p>Reading them takes no lock the broker's I/O threads wait for: a subscription added or removed
 * while a page is read may or may not be on it.
 */
public interface SubscriptionsMXBean {

    /** Subscriptions, of MQTT clients and of beans, shared ones included. */
    int getCount();

    /**
     * A page of the subscriptions that can receive a message {@code filter} matches, ordered by their
     * filter level by level, then ordinary before shared (by share name), then by subscriber.
     *
     * @param filter an MQTT topic filter or topic name, without {@code $share/}
     * @param offset how many matching subscriptions to skip
     * @param limit at most this many (1 to 1000)
     */
    SubscriberInfo[] find(String filter, int offset, int limit);

    /** How many subscriptions {@link #find} would list for {@code filter}, all pages together. */
    int count(String filter);
}
