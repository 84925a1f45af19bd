package io.mqttra.broker;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Another broker of the cluster, subscribed in this broker's {@link SubscriptionTree} with the filters
 * its own subscribers hold: matching a topic finds it as it finds a local session, and a shared group
 * can pick it as one of its members, so a message goes to a shared group once per cluster.
 */
public interface RemoteNode extends Subscriber {

    /**
     * Sends {@code message} to that node: it stores a retained message, delivers to its ordinary
     * subscriptions when {@code ordinary} and to one member of each of {@code shared}'s groups.
     *
     * @return completes once the cluster holds the message safely (for a QoS 1/2 acknowledgement); null
     *     when nothing is waited for
     */
    CompletableFuture<Void> forward(PublishedMessage message, boolean ordinary, List<Subscription> shared);

    /**
     * Sends {@code message} to the session of {@code clientId}, which moved to that node: it reached the
     * session here after the session had gone (its publisher's thread had matched the subscription
     * before). That node delivers it to the session as its subscriptions say.
     *
     * @return completes once that node holds it
     */
    CompletableFuture<Void> forwardToMoved(String clientId, PublishedMessage message);

    @Override
    default void deliver(PublishedMessage message, Delivery delivery) {
        forward(message, true, List.of());
    }
}
