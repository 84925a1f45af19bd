package io.mqttra.broker;

import java.util.concurrent.CompletableFuture;

/**
 * A subscriber that writes QoS 1/2 messages to a {@link MessageStore}. The publisher's PUBACK/PUBREC
 * waits until the write is done, so an acknowledged message survives the server process.
 */
public interface PersistentSubscriber extends Subscriber {

    /**
     * Accepts one message, as {@link #deliver} does.
     *
     * @return completes when the message is stored; {@code null} when nothing was stored
     */
    CompletableFuture<Void> deliverPersistently(PublishedMessage message, Delivery delivery);

    /**
     * A copy of a message that was on its way to a node of the cluster that died, for a session taken over
     * from it: the session may have it already, among the messages the grid kept for it there.
     */
    default CompletableFuture<Void> deliverCopy(PublishedMessage message, Delivery delivery) {
        return deliverPersistently(message, delivery);
    }

    @Override
    default void deliver(PublishedMessage message, Delivery delivery) {
        deliverPersistently(message, delivery);
    }
}
