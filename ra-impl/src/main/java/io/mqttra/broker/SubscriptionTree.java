package io.mqttra.broker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
        /**
         * Replaced whole, under the tree's lock, on every join and leave, so that {@link #pick} reads one
         * consistent array: a member leaving while a message is matched cannot make it index past the end.
         */
        volatile Member[] members = new Member[0];
        final AtomicInteger next = new AtomicInteger();

        record Member(Subscriber subscriber, Subscription subscription) {
        }

        /** Adds or replaces {@code subscriber}; true when it was a member already. Called under the tree's lock. */
        boolean join(Subscriber subscriber, Subscription subscription) {
            boolean existed = leave(subscriber);
            Member[] current = members;
            Member[] joined = Arrays.copyOf(current, current.length + 1);
            joined[current.length] = new Member(subscriber, subscription);
            members = joined;
            return existed;
        }

        /** Called under the tree's lock. */
        boolean leave(Subscriber subscriber) {
            Member[] current = members;
            for (int i = 0; i < current.length; i++) {
                if (current[i].subscriber().equals(subscriber)) {
                    Member[] left = new Member[current.length - 1];
                    System.arraycopy(current, 0, left, 0, i);
                    System.arraycopy(current, i + 1, left, i, current.length - i - 1);
                    members = left;
                    return true;
                }
            }
            return false;
        }

        boolean isEmpty() {
            return members.length == 0;
        }

        /** Round robin, skipping members that cannot take a message now while another can. */
        Member pick() {
            Member[] m = members;
            int n = m.length;
            if (n == 0) {
                return null;
            }
            int start = Math.floorMod(next.getAndIncrement(), n);
            for (int i = 0; i < n; i++) {
                Member candidate = m[(start + i) % n];
                if (candidate.subscriber().isAvailable()) {
                    return candidate;
                }
            }
            return m[start];
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
    private final AtomicInteger count = new AtomicInteger();

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
            existed = group.join(subscriber, subscription);
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
            boolean removed = group != null && group.leave(subscriber);
            if (group != null && group.isEmpty()) {
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
        List<SharedGroup.Member> sharedPicks = new ArrayList<>(0);
        // [MQTT-4.7.2-1]: filters starting with a wildcard do not match topics starting with '$'
        collect(root, topic.split("/", -1), 0, topic.startsWith("$"), publisherId, ordinary, sharedPicks);
        List<Target> targets = new ArrayList<>(ordinary.size() + sharedPicks.size());
        ordinary.forEach((subscriber, match) -> targets.add(new Target(subscriber, match)));
        for (SharedGroup.Member pick : sharedPicks) {
            Match m = new Match();
            m.add(pick.subscription());
            targets.add(new Target(pick.subscriber(), m));
        }
        return targets;
    }

    private static void collect(Node node, String[] levels, int depth, boolean systemTopic, String publisherId,
                                Map<Subscriber, Match> matches, List<SharedGroup.Member> shared) {
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
                               List<SharedGroup.Member> shared) {
        node.subscribers.forEach((subscriber, s) -> {
            if (!(s.noLocal() && subscriber.subscriberId().equals(publisherId))) {
                matches.computeIfAbsent(subscriber, k -> new Match()).add(s);
            }
        });
        for (SharedGroup group : node.shared.values()) {
            SharedGroup.Member pick = group.pick();
            if (pick != null) {
                shared.add(pick);
            }
        }
    }
}
