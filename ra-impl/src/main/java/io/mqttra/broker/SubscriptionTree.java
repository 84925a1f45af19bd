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
 * <p>Publishing threads match without locking: the maps are concurrent and a shared group's members
 * an array replaced whole. Subscribe and unsubscribe lock only the node whose members they change, so
 * those of unrelated filters never wait for each other; see {@link Node} for how pruning an empty
 * branch stays safe while another thread adds below it.
 */
public final class SubscriptionTree {

    /**
     * A shared-subscription group at one filter: each message goes to one member [MQTT-4.8.2-2].
     * Package-private for {@link SubscriptionAdministration}, which reads {@link #members}.
     */
    static final class SharedGroup {
        /**
         * Replaced whole, under its node's lock, on every join and leave, so that {@link #pick} reads one
         * consistent array: a member leaving while a message is matched cannot make it index past the end.
         */
        volatile Member[] members = new Member[0];
        final AtomicInteger next = new AtomicInteger();

        record Member(Subscriber subscriber, Subscription subscription) {
        }

        /** Adds or replaces {@code subscriber}; true when it was a member already. Called under the node's lock. */
        boolean join(Subscriber subscriber, Subscription subscription) {
            boolean existed = leave(subscriber);
            Member[] current = members;
            Member[] joined = Arrays.copyOf(current, current.length + 1);
            joined[current.length] = new Member(subscriber, subscription);
            members = joined;
            return existed;
        }

        /** Called under the node's lock. */
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

        /**
         * Round robin, skipping members that cannot take a message now while another can; with
         * {@code localOnly}, among the members in this JVM (not other nodes of the cluster).
         */
        Member pick(boolean localOnly) {
            Member[] m = members;
            int n = m.length;
            if (n == 0) {
                return null;
            }
            int start = Math.floorMod(next.getAndIncrement(), n);
            Member fallback = null;
            for (int i = 0; i < n; i++) {
                Member candidate = m[(start + i) % n];
                if (localOnly && candidate.subscriber() instanceof RemoteNode) {
                    continue;
                }
                if (candidate.subscriber().isAvailable()) {
                    return candidate;
                }
                if (fallback == null) {
                    fallback = candidate;
                }
            }
            return fallback;
        }
    }

    /**
     * One topic level. Package-private, as is {@link #root}: SubscriptionTreeTest checks that empty
     * branches are pruned.
     *
     * <p>Its monitor guards changes to its members and {@link #pruned}, and the adding of children. A
     * node is pruned (taken out of its parent) only when it is empty, holding the parent's monitor and
     * then its own, and nothing is ever added to a pruned node: a child is added holding the parent's
     * monitor, a member holding the node's, and both first check {@code pruned}. So a node that is not
     * pruned hangs from the root by nodes that are not pruned either, and a subscription added to it
     * cannot be lost with a branch being pruned; a thread that finds a pruned node starts again from the
     * root. Monitors are taken parent before child, so two threads cannot wait for each other.
     */
    static final class Node {
        final ConcurrentHashMap<String, Node> children = new ConcurrentHashMap<>();
        final ConcurrentHashMap<Subscriber, Subscription> subscribers = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, SharedGroup> shared = new ConcurrentHashMap<>();
        /** Taken out of its parent; guarded by this node's monitor. */
        boolean pruned;

        boolean isEmpty() {
            return children.isEmpty() && subscribers.isEmpty() && shared.isEmpty();
        }

        /** The child at {@code level}, added if missing; null when this node has been pruned meanwhile. */
        Node child(String level) {
            Node child = children.get(level);
            if (child != null) {
                return child;
            }
            synchronized (this) {
                return pruned ? null : children.computeIfAbsent(level, l -> new Node());
            }
        }
    }

    /** What matching found for one subscriber, before it becomes a {@link Delivery}. */
    public static final class Match {
        int qos = -1;
        boolean retainAsPublished;
        final List<Integer> subscriptionIds = new ArrayList<>(1);
        /** The shared subscription a group's pick stands for; null for ordinary subscriptions. */
        Subscription shared;

        /** The shared subscription (filter and group) this match was picked for, or null when ordinary. */
        public Subscription sharedSubscription() {
            return shared;
        }

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
    public boolean subscribe(Subscriber subscriber, Subscription subscription) {
        String[] levels = subscription.filter().split("/", -1);
        while (true) {
            Node node = root;
            for (int i = 0; i < levels.length && node != null; i++) {
                node = node.child(levels[i]);
            }
            if (node == null) {
                continue; // a node on the way was pruned: the branch is grown again from the root
            }
            boolean existed;
            synchronized (node) {
                if (node.pruned) {
                    continue;
                }
                if (!subscription.isShared()) {
                    existed = node.subscribers.put(subscriber, subscription) != null;
                } else {
                    SharedGroup group = node.shared.computeIfAbsent(subscription.shareGroup(), g -> new SharedGroup());
                    existed = group.join(subscriber, subscription);
                }
            }
            if (!existed) {
                count.incrementAndGet();
            }
            return existed;
        }
    }

    /** Removes one subscription; returns false when there was none. */
    public boolean unsubscribe(Subscriber subscriber, String filter, String shareGroup) {
        String[] levels = filter.split("/", -1);
        Node[] path = new Node[levels.length + 1];
        while (true) {
            path[0] = root;
            for (int i = 0; i < levels.length; i++) {
                path[i + 1] = path[i].children.get(levels[i]);
                if (path[i + 1] == null) {
                    return false; // never adds nodes
                }
            }
            Node node = path[levels.length];
            boolean emptied;
            synchronized (node) {
                if (node.pruned) {
                    continue; // emptied and pruned meanwhile: the subscription, if any, is in a newer branch
                }
                if (!removeMember(node, subscriber, shareGroup)) {
                    return false;
                }
                emptied = node.isEmpty();
            }
            count.decrementAndGet();
            if (emptied) {
                prune(path, levels);
            }
            return true;
        }
    }

    /** Called under the node's lock. */
    private static boolean removeMember(Node node, Subscriber subscriber, String shareGroup) {
        if (shareGroup == null) {
            return node.subscribers.remove(subscriber) != null;
        }
        SharedGroup group = node.shared.get(shareGroup);
        if (group == null || !group.leave(subscriber)) {
            return false;
        }
        if (group.isEmpty()) {
            node.shared.remove(shareGroup, group);
        }
        return true;
    }

    /** Takes empty nodes out of the tree, from the end of {@code path} up to the first that is not empty. */
    private static void prune(Node[] path, String[] levels) {
        for (int depth = levels.length; depth > 0; depth--) {
            Node parent = path[depth - 1];
            Node node = path[depth];
            synchronized (parent) {
                synchronized (node) {
                    if (node.pruned || !node.isEmpty()) {
                        return;
                    }
                    node.pruned = true;
                    parent.children.remove(levels[depth - 1], node);
                }
            }
        }
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
        return match(topic, publisherId, false);
    }

    /**
     * The local subscribers a message forwarded by another node of the cluster goes to: only ordinary
     * subscriptions, none of another node (that node had the message from its publisher's node too);
     * the sender picked the shared groups' members already ({@link #pickLocal}).
     */
    public List<Target> matchForwarded(String topic, String publisherId) {
        return match(topic, publisherId, true);
    }

    private List<Target> match(String topic, String publisherId, boolean forwarded) {
        Map<Subscriber, Match> ordinary = new HashMap<>();
        List<SharedGroup.Member> sharedPicks = forwarded ? null : new ArrayList<>(0);
        // [MQTT-4.7.2-1]: filters starting with a wildcard do not match topics starting with '$'
        collect(root, topic.split("/", -1), 0, topic.startsWith("$"), publisherId, ordinary, sharedPicks);
        if (forwarded) {
            ordinary.keySet().removeIf(s -> s instanceof RemoteNode);
        }
        List<Target> targets = new ArrayList<>(ordinary.size() + (forwarded ? 0 : sharedPicks.size()));
        ordinary.forEach((subscriber, match) -> targets.add(new Target(subscriber, match)));
        if (!forwarded) {
            for (SharedGroup.Member pick : sharedPicks) {
                targets.add(sharedTarget(pick));
            }
        }
        return targets;
    }

    private static Target sharedTarget(SharedGroup.Member pick) {
        Match m = new Match();
        m.add(pick.subscription());
        m.shared = pick.subscription();
        return new Target(pick.subscriber(), m);
    }

    /**
     * One member in this JVM of the shared group {@code shareGroup} at exactly {@code filter}, for a
     * message another node picked this node for; null when it has none (any more).
     */
    public Target pickLocal(String filter, String shareGroup) {
        Node node = root;
        for (String level : filter.split("/", -1)) {
            node = node.children.get(level);
            if (node == null) {
                return null;
            }
        }
        SharedGroup group = node.shared.get(shareGroup);
        SharedGroup.Member pick = group == null ? null : group.pick(true);
        return pick == null ? null : sharedTarget(pick);
    }

    /** Collects ordinary matches, and a pick of each shared group matched unless {@code shared} is null. */
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
        if (shared == null) {
            return;
        }
        for (SharedGroup group : node.shared.values()) {
            SharedGroup.Member pick = group.pick(false);
            if (pick != null) {
                shared.add(pick);
            }
        }
    }
}
