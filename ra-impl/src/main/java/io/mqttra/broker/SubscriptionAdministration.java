package io.mqttra.broker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What an administrator may see of the subscriptions: those that can receive a message some topic
 * filter matches, in a stable order, read from the {@link SubscriptionTree} without taking its nodes'
 * locks (its maps are concurrent and a shared group's members an array replaced whole), so that neither
 * subscribing clients nor publishers wait for a query. A subscription changed while it runs may or may
 * not be seen.
 */
public final class SubscriptionAdministration {

    /** One subscription and who holds it. */
    public record Entry(String subscriber, boolean mqttClient, Subscription subscription) {
    }

    private static final String MULTI = "#";
    private static final String SINGLE = "+";
    private static final Comparator<Entry> BY_SUBSCRIBER = Comparator.comparing(Entry::subscriber);

    private final SubscriptionTree tree;

    SubscriptionAdministration(SubscriptionTree tree) {
        this.tree = tree;
    }

    /**
     * Hands {@code visitor} each subscription whose filter matches a topic that {@code filter} matches too
     * (both filters follow [MQTT-4.7.2-1]: one starting with a wildcard matches no {@code $} topic), ordered
     * by filter level by level, then ordinary before shared (by group), then by subscriber, until the
     * visitor answers false. The work done is that of the subscriptions visited, plus sorting the members
     * and children of the nodes on the way.
     *
     * @param filter a valid topic filter or topic name, without {@code $share/}
     */
    public void forEachOverlapping(String filter, Predicate<Entry> visitor) {
        String[] levels = filter.split("/", -1);
        new Walk(levels, visitor, true).from(tree.root, 0);
    }

    /** How many subscriptions {@link #forEachOverlapping} would visit, counted without sorting. */
    public int countOverlapping(String filter) {
        int[] n = new int[1];
        new Walk(filter.split("/", -1), e -> {
            n[0]++;
            return true;
        }, false).from(tree.root, 0);
        return n[0];
    }

    /** One walk of the tree along {@code levels}; every method answers false once the visitor has had enough. */
    private static final class Walk {
        private final String[] levels;
        private final Predicate<Entry> visitor;
        private final boolean ordered;
        /** A filter starting with {@code $}: subscriptions starting with a wildcard cannot receive its topics. */
        private final boolean systemTopics;

        Walk(String[] levels, Predicate<Entry> visitor, boolean ordered) {
            this.levels = levels;
            this.visitor = visitor;
            this.ordered = ordered;
            this.systemTopics = levels[0].startsWith("$");
        }

        /** {@code node} is where subscriptions matching {@code levels[0..depth)} end. */
        boolean from(SubscriptionTree.Node node, int depth) {
            if (depth == levels.length) {
                // a/# receives a's messages too [MQTT-4.7.1-2]
                SubscriptionTree.Node multi = node.children.get(MULTI);
                return members(node) && (multi == null || members(multi));
            }
            String level = levels[depth];
            if (level.equals(MULTI)) {
                return subtree(node, depth);
            }
            boolean subscribedWildcardsMatch = !(depth == 0 && systemTopics);
            for (String key : level.equals(SINGLE) ? keys(node.children) : candidates(node, level, subscribedWildcardsMatch)) {
                SubscriptionTree.Node child = node.children.get(key);
                if (child == null || depth == 0 && level.equals(SINGLE) && key.startsWith("$")) {
                    continue; // pruned meanwhile, or a $ topic that the operator's leading wildcard cannot match
                }
                if (!(key.equals(MULTI) ? members(child) : from(child, depth + 1))) {
                    return false;
                }
            }
            return true;
        }

        /** The children a literal level leads to: itself, and the subscribers' wildcards where they match it. */
        private List<String> candidates(SubscriptionTree.Node node, String level, boolean wildcardsMatch) {
            List<String> keys = new ArrayList<>(3);
            for (String key : wildcardsMatch ? new String[] {MULTI, SINGLE, level} : new String[] {level}) {
                if (node.children.containsKey(key)) {
                    keys.add(key);
                }
            }
            if (ordered) {
                keys.sort(null);
            }
            return keys;
        }

        /** {@code node} and everything below it, for an operator's {@code #} at {@code depth}. */
        private boolean subtree(SubscriptionTree.Node node, int depth) {
            if (!members(node)) {
                return false;
            }
            for (String key : keys(node.children)) {
                SubscriptionTree.Node child = node.children.get(key);
                if (child != null && !(depth == 0 && key.startsWith("$")) && !subtree(child, depth + 1)) {
                    return false;
                }
            }
            return true;
        }

        private Collection<String> keys(Map<String, ?> children) {
            return ordered ? children.keySet().stream().sorted().toList() : children.keySet();
        }

        /**
         * The subscriptions that end at {@code node}: ordinary ones, then each shared group's members; not
         * the routes of other nodes of a cluster, whose own administrators see their subscriptions.
         */
        private boolean members(SubscriptionTree.Node node) {
            List<Entry> ordinary = new ArrayList<>();
            node.subscribers.forEach((subscriber, s) -> {
                if (!(subscriber instanceof RemoteNode)) {
                    ordinary.add(entry(subscriber, s));
                }
            });
            if (!visit(ordinary)) {
                return false;
            }
            for (String group : keys(node.shared)) {
                SubscriptionTree.SharedGroup g = node.shared.get(group);
                if (g == null) {
                    continue;
                }
                List<Entry> members = new ArrayList<>();
                for (SubscriptionTree.SharedGroup.Member m : g.members) {
                    if (!(m.subscriber() instanceof RemoteNode)) {
                        members.add(entry(m.subscriber(), m.subscription()));
                    }
                }
                if (!visit(members)) {
                    return false;
                }
            }
            return true;
        }

        private boolean visit(List<Entry> entries) {
            if (ordered) {
                entries.sort(BY_SUBSCRIBER);
            }
            for (Entry e : entries) {
                if (!visitor.test(e)) {
                    return false;
                }
            }
            return true;
        }

        private static Entry entry(Subscriber subscriber, Subscription subscription) {
            return new Entry(subscriber.subscriberId(), subscriber instanceof Outbox, subscription);
        }
    }
}
