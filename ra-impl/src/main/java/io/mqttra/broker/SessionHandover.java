package io.mqttra.broker;

import java.util.List;

/**
 * What a persistent session takes along when its client connects to another node of the cluster: its
 * subscriptions, and the messages it had not delivered yet (those sent and not acknowledged first, then
 * the queued ones, in order).
 *
 * @param expirySeconds the session expiry interval it had
 */
public record SessionHandover(long expirySeconds, List<Subscription> subscriptions, List<QueuedMessage> messages) {

    public SessionHandover {
        subscriptions = List.copyOf(subscriptions);
        messages = List.copyOf(messages);
    }

    /** One message on its way to the client, and how it matched. */
    public record QueuedMessage(PublishedMessage message, Delivery delivery) {
    }
}
