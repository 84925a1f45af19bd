package io.mqttra.broker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The topic-filter trie: one node per topic level, holding the subscriptions whose filter ends
 * there. Matching a topic walks only the branches that can match ({@code +}, {@code #} and the exact
 * level), so its cost depends on the topic's depth and the number of matches, not on the number of
 * subscriptions.
 *
 * <p>Publishing threads match without locking (the maps are concurrent); subscribe and unsubscribe
 * are serialised so that pruning empty branches cannot race with adding to them.
 */
public final class SubscriptionTree {

    /** A shared-subscription group at one filter: each message goes to one member [MQTT-4.8.2-2]. */
    private static final class SharedGroup {
        final CopyOnWriteArrayList<Map.Entry<Subscriber, Subscription>> members = new CopyOnWriteArrayList<>();
        final AtomicInteger next = new AtomicInteger();

        /** Round robin, skipping members that cannot take a message now while another can. */
        Map.Entry<Subscriber, Subscription> pick() {
            List<Map.Entry<Subscriber, Subscription>> m = members;
            int n = m.size();
            if (n == 0) {
                return null;
            }
            int start = Math.floorMod(next.getAndIncrement(), n);
            for (int i = 0; i < n; i++) {
                Map.Entry<Subscriber, Subscription> candidate = m.get((start + i) % n);
                if (candidate.getKey().isAvailable()) {
                    return candidate;
                }
            }
            return m.get(start % n);
        }
    }

    /** Package-private, as is {@link #root}: SubscriptionTreeTest checks that empty branches are pruned. */
    static final class Node {
        final ConcurrentHashMap<String, Node> children = new ConcurrentHashMap<>();
        final ConcurrentHashMap<Subscriber, Subscription> subscribers = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, SharedGroup> shared = new ConcurrentHashMap<>();

        boolean isEmpty() {
            return children.isEmpty() && subscribers.isEmpty() && shared.isEmpty();
        }
    }

    /** What matching found for one subscriber, before it becomes a {@link Delivery}. */
    public static final class Match {
        int qos = -1;
        boolean retainAsPublished;
        final List<Integer> subscriptionIds = new ArrayList<>(1);

        void add(Subscription s) {
            qos = Math.max(qos, s.qos());
            retainAsPublished |= s.retainAsPublished();
            if (s.subscriptionId() != 0) {
                subscriptionIds.add(s.subscriptionId());
            }
        }

        public Delivery toDelivery(PublishedMessage message) {
            return new Delivery(Math.min(message.qos(), qos), retainAsPublished && message.retain(), false, subscriptionIds);
        }
    }

    final Node root = new Node();
    private final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();

    /** Number of subscriptions, shared ones included. */
    public int size() {
        return count.get();
    }

    /**
     * Adds or replaces {@code subscriber}'s subscription with the same filter (and share group).
     *
     * @return true when the subscriber already had that subscription [MQTT-3.8.4-3]
     */
    public synchronized boolean subscribe(Subscriber subscriber, Subscription subscription) {
        Node node = root;
        for (String level : subscription.filter().split("/", -1)) {
            node = node.children.computeIfAbsent(level, l -> new Node());
        }
        boolean existed;
        if (!subscription.isShared()) {
            existed = node.subscribers.put(subscriber, subscription) != null;
        } else {
            SharedGroup group = node.shared.computeIfAbsent(subscription.shareGroup(), g -> new SharedGroup());
            existed = group.members.removeIf(e -> e.getKey().equals(subscriber));
            group.members.add(Map.entry(subscriber, subscription));
        }
        if (!existed) {
            count.incrementAndGet();
        }
        return existed;
    }

    /** Removes one subscription; returns false when there was none. */
    public synchronized boolean unsubscribe(Subscriber subscriber, String filter, String shareGroup) {
        boolean removed = remove(root, filter.split("/", -1), 0, subscriber, shareGroup);
        if (removed) {
            count.decrementAndGet();
        }
        return removed;
    }

    private static boolean remove(Node node, String[] levels, int depth, Subscriber subscriber, String shareGroup) {
        if (depth == levels.length) {
            if (shareGroup == null) {
                return node.subscribers.remove(subscriber) != null;
            }
            SharedGroup group = node.shared.get(shareGroup);
            boolean removed = group != null && group.members.removeIf(e -> e.getKey().equals(subscriber));
            if (group != null && group.members.isEmpty()) {
                node.shared.remove(shareGroup, group);
            }
            return removed;
        }
        Node child = node.children.get(levels[depth]);
        if (child == null) {
            return false;
        }
        boolean removed = remove(child, levels, depth + 1, subscriber, shareGroup);
        if (child.isEmpty()) {
            node.children.remove(levels[depth], child);
        }
        return removed;
    }

    /** One subscriber a message goes to, and how. */
    public record Target(Subscriber subscriber, Match match) {
    }

    /**
     * The subscribers a message on {@code topic} goes to. Ordinary subscriptions of one subscriber are
     * merged into one delivery with the highest QoS and all their identifiers [MQTT-3.3.4-2]; each
     * shared group matched adds one delivery to one member, even a member that also matched
     * ordinarily. Subscriptions with No Local do not match the publisher's own messages [MQTT-3.8.3-3].
     */
    public List<Target> match(String topic, String publisherId) {
        Map<Subscriber, Match> ordinary = new HashMap<>();
        List<Map.Entry<Subscriber, Subscription>> sharedPicks = new ArrayList<>(0);
        // [MQTT-4.7.2-1]: filters starting with a wildcard do not match topics starting with '$'
        collect(root, topic.split("/", -1), 0, topic.startsWith("$"), publisherId, ordinary, sharedPicks);
        List<Target> targets = new ArrayList<>(ordinary.size() + sharedPicks.size());
        ordinary.forEach((subscriber, match) -> targets.add(new Target(subscriber, match)));
        for (Map.Entry<Subscriber, Subscription> pick : sharedPicks) {
            Match m = new Match();
            m.add(pick.getValue());
            targets.add(new Target(pick.getKey(), m));
        }
        return targets;
    }

    private static void collect(Node node, String[] levels, int depth, boolean systemTopic, String publisherId,
                                Map<Subscriber, Match> matches, List<Map.Entry<Subscriber, Subscription>> shared) {
        boolean wildcardsAllowed = !(systemTopic && depth == 0);
        if (wildcardsAllowed) {
            // '#' matches this level and everything below it, including the parent level [MQTT-4.7.1-2]
            Node multi = node.children.get("#");
            if (multi != null) {
                addAll(multi, publisherId, matches, shared);
            }
        }
        if (depth == levels.length) {
            addAll(node, publisherId, matches, shared);
            return;
        }
        Node exact = node.children.get(levels[depth]);
        if (exact != null) {
            collect(exact, levels, depth + 1, systemTopic, publisherId, matches, shared);
        }
        if (wildcardsAllowed) {
            Node single = node.children.get("+");
            if (single != null) {
                collect(single, levels, depth + 1, systemTopic, publisherId, matches, shared);
            }
        }
    }

    private static void addAll(Node node, String publisherId, Map<Subscriber, Match> matches,
                               List<Map.Entry<Subscriber, Subscription>> shared) {
        node.subscribers.forEach((subscriber, s) -> {
            if (!(s.noLocal() && subscriber.subscriberId().equals(publisherId))) {
                matches.computeIfAbsent(subscriber, k -> new Match()).add(s);
            }
        });
        for (SharedGroup group : node.shared.values()) {
            Map.Entry<Subscriber, Subscription> pick = group.pick();
            if (pick != null) {
                shared.add(pick);
            }
        }
    }
}
