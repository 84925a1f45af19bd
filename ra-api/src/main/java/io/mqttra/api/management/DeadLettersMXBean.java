package io.mqttra.api.management;

/**
 * The dead letters the adapter keeps: for each dead-letter topic in use, the durable subscription
 * {@code dead-letters:<topic>} holds what was published to it while no bean consumes that subscription
 * (README, "Delivery guarantees"). A dead letter is named by its message id, drawn when it was kept
 * (the {@code JMSMessageID} a bean consuming that subscription would see). Operations are logged with
 * the administrator's identity.
 */
public interface DeadLettersMXBean {

    /** The dead-letter topics whose messages are kept. */
    String[] getTopics();

    /** Dead letters kept, all topics together. */
    int getCount();

    /**
     * A page of dead letters, oldest first.
     *
     * @param deadLetterTopic one dead-letter topic, or empty or null for all
     * @param limit at most this many (1 to 1000)
     */
    DeadLetterInfo[] list(String deadLetterTopic, int offset, int limit);

    /**
     * Publishes the dead letter again to its original topic (its user property {@code originalTopic}),
     * without the properties the dead-lettering added, and removes it.
     *
     * @return false when no dead letter has that id
     * @throws IllegalArgumentException when it has no {@code originalTopic}
     */
    boolean replay(String messageId);

    /** Replays every dead letter of {@code deadLetterTopic} (empty or null: all) that has an original topic; returns how many. */
    int replayAll(String deadLetterTopic);

    /** Removes one dead letter; false when no dead letter has that id. */
    boolean delete(String messageId);

    /** Removes the dead letters of {@code deadLetterTopic} (empty or null: all); returns how many. */
    int purge(String deadLetterTopic);
}
