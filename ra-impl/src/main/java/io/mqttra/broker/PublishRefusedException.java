package io.mqttra.broker;

/**
 * A message the server's own applications publish that an MQTT client could not have published: an
 * invalid topic, one beyond the topic limits, {@code $SYS}, or more than {@code maxPacketSize}. The
 * JMS layer turns it into the JMS exception of its kind.
 */
public final class PublishRefusedException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final boolean topicProblem;

    PublishRefusedException(String message, boolean topicProblem) {
        super(message);
        this.topicProblem = topicProblem;
    }

    /** Whether the topic is what is wrong (else the message's size). */
    public boolean isTopicProblem() {
        return topicProblem;
    }
}
