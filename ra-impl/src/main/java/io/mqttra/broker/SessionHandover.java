package io.mqttra.broker;

import java.util.List;

/**
 * What a persistent session takes along when its client connects to another node of the cluster: its
 * subscriptions, and the messages it had not delivered yet (those sent and not acknowledged first, with
 * the packet identifiers the client knows them by, then the queued ones, in order).
 *
 * @param expirySeconds the session expiry interval it had
 */
public record SessionHandover(long expirySeconds, List<Subscription> subscriptions, List<QueuedMessage> messages) {

    public SessionHandover {
        subscriptions = List.copyOf(subscriptions);
        messages = List.copyOf(messages);
    }

    /**
     * One message on its way to the client, and how it matched.
     *
     * @param packetId the identifier it was sent under and the client may hold it by; 0 when not sent yet
     * @param released QoS 2: the client answered PUBREC and what is left is PUBREL
     */
    public record QueuedMessage(PublishedMessage message, Delivery delivery, int packetId, boolean released) {

        /** A message not sent yet. */
        public QueuedMessage(PublishedMessage message, Delivery delivery) {
            this(message, delivery, 0, false);
        }
    }
}
