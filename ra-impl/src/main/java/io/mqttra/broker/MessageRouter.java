package io.mqttra.broker;

/**
 * Routes each published message to every matching subscription, and keeps the retained store.
 * Thread-safe; called on publishers' I/O threads.
 */
public final class MessageRouter {

    private final SubscriptionTree subscriptions = new SubscriptionTree();
    private final RetainedMessages retained = new RetainedMessages();

    /**
     * Hands {@code message} to every subscriber whose filter matches its topic. When this returns,
     * every matching subscriber has accepted (queued) the message, so a QoS 1/2 acknowledgement to
     * the publisher may follow.
     */
    public void route(PublishedMessage message) {
        if (message.retain()) {
            retained.store(message);
        }
        subscriptions.match(message.topic(),
                (subscriber, subscriptionQos) -> subscriber.deliver(message, Math.min(message.qos(), subscriptionQos), false));
    }

    /**
     * Subscribes and sends the retained messages that match the filter [MQTT-3.8.4-4].
     *
     * @return true when the subscriber already had a subscription to this filter
     */
    public boolean subscribe(Subscriber subscriber, String filter, int qos, boolean sendRetained) {
        boolean existed = subscriptions.subscribe(filter, subscriber, qos);
        if (sendRetained) {
            for (PublishedMessage m : retained.matching(filter)) {
                subscriber.deliver(m, Math.min(m.qos(), qos), true);
            }
        }
        return existed;
    }

    public boolean unsubscribe(Subscriber subscriber, String filter) {
        return subscriptions.unsubscribe(filter, subscriber);
    }

    public RetainedMessages retained() {
        return retained;
    }
}
