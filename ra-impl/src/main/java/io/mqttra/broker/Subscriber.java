package io.mqttra.broker;

/**
 * Something that receives the messages routed to its subscriptions: an MQTT client session's
 * outbox, or a subscription held inside the server (a message-driven bean's activation).
 *
 * <p>{@link #deliver} is called on the publisher's I/O thread. Implementations must not block: they
 * queue the message and hand it to their own thread.
 */
public interface Subscriber {

    /** A stable identifier: the client id of an MQTT session (No Local compares it), the bean of an activation. */
    String subscriberId();

    /** Accepts one message. */
    void deliver(PublishedMessage message, Delivery delivery);

    /** Whether it can take a message now; a shared subscription prefers members that can. */
    default boolean isAvailable() {
        return true;
    }
}
