package io.mqttra.broker;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Routes each published message to every matching subscription, and keeps the retained store.
 * Thread-safe; called on publishers' I/O threads.
 */
public final class MessageRouter {

    private static final Logger LOG = Logger.getLogger(MessageRouter.class.getName());

    private final SubscriptionTree subscriptions = new SubscriptionTree();
    private final RetainedMessages retained;

    /** A router whose retained messages are unbounded (tests). */
    public MessageRouter() {
        this(new RetainedMessages());
    }

    public MessageRouter(RetainedMessages retained) {
        this.retained = retained;
    }

    /** What routing one message did: how many subscribers took it, and when the persistent ones have stored it. */
    public record Routing(int receivers, CompletableFuture<Void> stored) {

        /** Whether an acknowledgement can go at once (nothing had to be written to disk). */
        public boolean isStored() {
            return stored == null || stored.isDone() && !stored.isCompletedExceptionally();
        }
    }

    /**
     * Hands {@code message} to every subscriber whose filter matches its topic. When this returns,
     * every matching subscriber has accepted (queued) the message; once {@link Routing#stored()} has
     * completed too, the persistent ones have it on disk, so a QoS 1/2 acknowledgement to the
     * publisher may follow.
     */
    public Routing route(PublishedMessage message) {
        if (message.retain()) {
            retained.store(message);
        }
        List<SubscriptionTree.Target> targets = subscriptions.match(message.topic(), message.publisherClientId());
        CompletableFuture<Void> stored = null;
        for (SubscriptionTree.Target t : targets) {
            boolean persistent = t.subscriber() instanceof PersistentSubscriber;
            try {
                Delivery delivery = t.match().toDelivery(message);
                if (persistent) {
                    CompletableFuture<Void> f = ((PersistentSubscriber) t.subscriber()).deliverPersistently(message, delivery);
                    if (f != null) {
                        stored = stored == null ? f : CompletableFuture.allOf(stored, f);
                    }
                } else {
                    t.subscriber().deliver(message, delivery);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Subscriber " + t.subscriber().subscriberId() + " could not take a message on "
                        + message.topic() + "; the others still get it", e);
                if (persistent && message.qos() > 0) {
                    // a persistent destination does not have it: the publisher must not be acknowledged
                    CompletableFuture<Void> failed = CompletableFuture.failedFuture(e);
                    stored = stored == null ? failed : CompletableFuture.allOf(stored, failed);
                }
            }
        }
        return new Routing(targets.size(), stored);
    }

    /**
     * Adds a subscription; the caller sends retained messages as its Retain Handling says.
     *
     * @return true when the subscriber already had this subscription
     */
    public boolean subscribe(Subscriber subscriber, Subscription subscription) {
        return subscriptions.subscribe(subscriber, subscription);
    }

    public boolean unsubscribe(Subscriber subscriber, Subscription subscription) {
        return subscriptions.unsubscribe(subscriber, subscription.filter(), subscription.shareGroup());
    }

    /**
     * Sends {@code subscriber} the retained messages matching a new subscription, with the RETAIN
     * flag set [MQTT-3.3.1-8]. Shared subscriptions get none (MQTT 5.0 section 4.8.2).
     */
    public void sendRetained(Subscriber subscriber, Subscription subscription, long now) {
        if (subscription.isShared()) {
            return;
        }
        for (PublishedMessage m : retained.matching(subscription.filter(), now)) {
            List<Integer> ids = subscription.subscriptionId() == 0 ? List.of() : List.of(subscription.subscriptionId());
            subscriber.deliver(m, new Delivery(Math.min(m.qos(), subscription.qos()), true, true, ids));
        }
    }

    /** The subscriptions as administrators see them. */
    public SubscriptionAdministration subscriptionAdministration() {
        return new SubscriptionAdministration(subscriptions);
    }

    public int subscriptionCount() {
        return subscriptions.size();
    }

    public RetainedMessages retained() {
        return retained;
    }
}
