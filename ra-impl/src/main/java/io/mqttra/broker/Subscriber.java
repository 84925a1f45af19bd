package io.mqttra.broker;

/**
 * Something that receives the messages routed to its subscriptions: an MQTT client session, or a
 * subscription held inside the server (a message-driven bean's activation).
 *
 * <p>{@link #deliver} is called on the publisher's I/O thread. Implementations must not block: they
 * queue the message and hand it to their own thread.
 */
public interface Subscriber {

    /** A stable identifier for logs (the client id of an MQTT session, the bean of an activation). */
    String subscriberId();

    /**
     * Accepts one message.
     *
     * @param message the message as published
     * @param qos the QoS to deliver it with: min(publish QoS, subscription QoS)
     * @param fromRetainedStore true when it is sent because a new subscription matched a retained
     *     message, false when it is forwarded as it is published
     */
    void deliver(PublishedMessage message, int qos, boolean fromRetainedStore);
}
