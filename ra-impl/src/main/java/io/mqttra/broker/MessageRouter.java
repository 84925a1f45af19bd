package io.mqttra.broker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Routes each published message to every matching subscription, and keeps the retained store. In a
 * cluster the other nodes are subscribers too ({@link RemoteNode}): a message goes to each node with a
 * matching subscription once, whatever the number of its subscribers there.
 * Thread-safe; called on publishers' I/O threads.
 */
public final class MessageRouter {

    private static final Logger LOG = Logger.getLogger(MessageRouter.class.getName());

    private final SubscriptionTree subscriptions = new SubscriptionTree();
    private final RetainedMessages retained;
    private final ClusterBus cluster;
    private final LocalRoutes localRoutes;
    private final TopicStatistics topicStatistics;
    /** Routes of other nodes in {@link #subscriptions}. */
    private final AtomicInteger remoteRoutes = new AtomicInteger();

    /** A router whose retained messages are unbounded (tests). */
    public MessageRouter() {
        this(new RetainedMessages());
    }

    public MessageRouter(RetainedMessages retained) {
        this(retained, ClusterBus.NONE);
    }

    public MessageRouter(RetainedMessages retained, ClusterBus cluster) {
        this(retained, cluster, TopicStatistics.OFF);
    }

    public MessageRouter(RetainedMessages retained, ClusterBus cluster, TopicStatistics topicStatistics) {
        this.retained = retained;
        this.topicStatistics = topicStatistics;
        this.cluster = cluster;
        this.localRoutes = cluster.isClustered() ? new LocalRoutes(cluster) : null;
    }

    /** What routing one message did: how many subscribers took it, and when the persistent ones have stored it. */
    public record Routing(int receivers, CompletableFuture<Void> stored) {

        /** Whether an acknowledgement can go at once (nothing had to be written to disk). */
        public boolean isStored() {
            return stored == null || stored.isDone() && !stored.isCompletedExceptionally();
        }
    }

    /** What one other node gets of a message: its ordinary subscriptions, and the shared groups it was picked for. */
    private static final class Forward {
        boolean ordinary;
        final List<Subscription> shared = new ArrayList<>(0);
    }

    /**
     * Hands {@code message} to every subscriber whose filter matches its topic. When this returns,
     * every matching subscriber has accepted (queued) the message; once {@link Routing#stored()} has
     * completed too, the persistent ones have it on disk, and the other nodes of a cluster that take it
     * hold it safely, so a QoS 1/2 acknowledgement to the publisher may follow.
     */
    public Routing route(PublishedMessage message) {
        // what this node received; routeForwarded leaves out what other nodes did, as messagesReceived does
        topicStatistics.count(message);
        CompletableFuture<Void> stored = null;
        if (message.retain()) {
            retained.store(message);
            if (cluster.isClustered()) {
                stored = combine(stored, cluster.retainedStored(message), message);
            }
        }
        List<SubscriptionTree.Target> targets = subscriptions.match(message.topic(), message.publisherClientId());
        Map<RemoteNode, Forward> forwards = null;
        for (SubscriptionTree.Target t : targets) {
            if (t.subscriber() instanceof RemoteNode node) {
                forwards = forwards == null ? new HashMap<>() : forwards;
                Forward f = forwards.computeIfAbsent(node, n -> new Forward());
                if (t.match().sharedSubscription() == null) {
                    f.ordinary = true;
                } else {
                    f.shared.add(t.match().sharedSubscription());
                }
            } else {
                stored = deliverLocally(message, t, stored);
            }
        }
        if (message.retain() && cluster.isClustered()) {
            // every node keeps every retained message, whether it has subscribers for it now or not
            for (RemoteNode node : cluster.remoteNodes()) {
                forwards = forwards == null ? new HashMap<>() : forwards;
                forwards.computeIfAbsent(node, n -> new Forward());
            }
        }
        if (forwards != null) {
            for (Map.Entry<RemoteNode, Forward> e : forwards.entrySet()) {
                stored = forward(message, e.getKey(), e.getValue(), stored);
            }
        }
        return new Routing(targets.size(), stored);
    }

    private CompletableFuture<Void> forward(PublishedMessage message, RemoteNode node, Forward f, CompletableFuture<Void> stored) {
        try {
            return combine(stored, node.forward(message, f.ordinary, f.shared), message);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Node " + node.subscriberId() + " could not take a message on " + message.topic(), e);
            return message.qos() > 0 ? combine(stored, CompletableFuture.failedFuture(e), message) : stored;
        }
    }

    private static CompletableFuture<Void> combine(CompletableFuture<Void> stored, CompletableFuture<Void> f, PublishedMessage message) {
        if (f == null || message.qos() == 0) {
            return stored;
        }
        return stored == null ? f : CompletableFuture.allOf(stored, f);
    }

    private static CompletableFuture<Void> deliverLocally(PublishedMessage message, SubscriptionTree.Target t,
                                                          CompletableFuture<Void> stored) {
        return deliverLocally(message, t, stored, false);
    }

    private static CompletableFuture<Void> deliverLocally(PublishedMessage message, SubscriptionTree.Target t,
                                                          CompletableFuture<Void> stored, boolean copy) {
        boolean persistent = t.subscriber() instanceof PersistentSubscriber;
        try {
            Delivery delivery = t.match().toDelivery(message);
            if (persistent) {
                PersistentSubscriber p = (PersistentSubscriber) t.subscriber();
                CompletableFuture<Void> f = copy ? p.deliverCopy(message, delivery) : p.deliverPersistently(message, delivery);
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
        return stored;
    }

    /**
     * A message another node of the cluster published: stored if retained, then delivered to the local
     * ordinary subscriptions when {@code ordinary}, and to one local member of each shared group in
     * {@code shared}. Never forwarded again.
     *
     * @return completes once the persistent subscribers that took it hold it; null when none did
     */
    public CompletableFuture<Void> routeForwarded(PublishedMessage message, boolean ordinary, List<Subscription> shared) {
        if (message.retain()) {
            retained.store(message);
        }
        CompletableFuture<Void> stored = null;
        if (ordinary) {
            for (SubscriptionTree.Target t : subscriptions.matchForwarded(message.topic(), message.publisherClientId())) {
                stored = deliverLocally(message, t, stored);
            }
        }
        for (Subscription s : shared) {
            SubscriptionTree.Target t = subscriptions.pickLocal(s.filter(), s.shareGroup());
            if (t != null) {
                stored = deliverLocally(message, t, stored);
            } else {
                LOG.fine(() -> "No member of " + s.key() + " here any more for a message on " + message.topic());
            }
        }
        return stored;
    }

    /**
     * A message that was on its way to a node that died, for the sessions taken over from it (by their
     * client ids): it goes to those of them whose subscriptions match, and to one local member of each
     * shared group in {@code shared}. The others here had their copy when it was first forwarded.
     *
     * @return completes once the persistent subscribers that took it hold it; null when none did
     */
    public CompletableFuture<Void> routeToAdopted(PublishedMessage message, Set<String> clientIds, List<Subscription> shared) {
        CompletableFuture<Void> stored = null;
        for (SubscriptionTree.Target t : subscriptions.matchForwarded(message.topic(), message.publisherClientId())) {
            if (clientIds.contains(t.subscriber().subscriberId())) {
                stored = deliverLocally(message, t, stored, true);
            }
        }
        CompletableFuture<Void> toShared = shared.isEmpty() ? null : routeForwarded(message, false, shared);
        return toShared == null ? stored : stored == null ? toShared : CompletableFuture.allOf(stored, toShared);
    }

    /**
     * Adds a subscription; the caller sends retained messages as its Retain Handling says.
     *
     * @return true when the subscriber already had this subscription
     */
    public boolean subscribe(Subscriber subscriber, Subscription subscription) {
        boolean existed = subscriptions.subscribe(subscriber, subscription);
        if (!existed && localRoutes != null) {
            if (subscriber instanceof RemoteNode) {
                remoteRoutes.incrementAndGet();
            } else {
                localRoutes.added(subscription);
            }
        }
        return existed;
    }

    public boolean unsubscribe(Subscriber subscriber, Subscription subscription) {
        boolean removed = subscriptions.unsubscribe(subscriber, subscription.filter(), subscription.shareGroup());
        if (removed && localRoutes != null) {
            if (subscriber instanceof RemoteNode) {
                remoteRoutes.decrementAndGet();
            } else {
                localRoutes.removed(subscription);
            }
        }
        return removed;
    }

    /**
     * Completes once every node of the cluster routes messages for {@code subscription} here (at once
     * for a broker alone): a SUBACK sent after it means a message published anywhere afterwards arrives.
     */
    public CompletableFuture<Void> announced(Subscription subscription) {
        return localRoutes == null ? LocalRoutes.DONE : localRoutes.announced(subscription);
    }

    /** This node's routes, one per filter and share group, for a node that joins the cluster. */
    public List<Subscription> localRoutes() {
        return localRoutes == null ? List.of() : localRoutes.snapshot();
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

    /** Subscriptions of this node's clients and beans; other nodes' routes here are not counted. */
    public int subscriptionCount() {
        return subscriptions.size() - remoteRoutes.get();
    }

    public RetainedMessages retained() {
        return retained;
    }

    public TopicStatistics topicStatistics() {
        return topicStatistics;
    }

    ClusterBus cluster() {
        return cluster;
    }

    /** The tree itself, for the cluster's routes of other nodes. */
    SubscriptionTree tree() {
        return subscriptions;
    }
}
