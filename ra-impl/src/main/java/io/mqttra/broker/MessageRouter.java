package io.mqttra.broker;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Routes each published message to every matching subscription, and keeps the retained store.
 * Thread-safe; called on publishers' I/O threads.
 */
public final class MessageRouter {

    private static final Logger LOG = Logger.getLogger(MessageRouter.class.getName());

    private final SubscriptionTree subscriptions = new SubscriptionTree();
    private final RetainedMessages retained = new RetainedMessages();

    /**
     * Hands {@code message} to every subscriber whose filter matches its topic. When this returns,
     * every matching subscriber has accepted (queued) the message, so a QoS 1/2 acknowledgement to
     * the publisher may follow.
     *
     * @return how many subscribers the message went to
     */
    public int route(PublishedMessage message) {
        if (message.retain()) {
            retained.store(message);
        }
        List<SubscriptionTree.Target> targets = subscriptions.match(message.topic(), message.publisherClientId());
        for (SubscriptionTree.Target t : targets) {
            try {
                t.subscriber().deliver(message, t.match().toDelivery(message));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Subscriber " + t.subscriber().subscriberId() + " could not take a message on "
                        + message.topic() + "; the others still get it", e);
            }
        }
        return targets.size();
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

    public int subscriptionCount() {
        return subscriptions.size();
    }

    public RetainedMessages retained() {
        return retained;
    }
}
