package io.mqttra.broker;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The topic-filter trie: one node per topic level, with the subscribers whose filter ends at that
 * node. Matching a topic walks only the branches that can match ({@code +}, {@code #} and the
 * exact level), so its cost depends on the topic's depth and the number of matches, not on the
 * number of subscriptions.
 *
 * <p>Publishing threads match without locking (the maps are concurrent); subscribe and unsubscribe
 * are serialised so that pruning empty branches cannot race with adding to them.
 */
public final class SubscriptionTree {

    private static final class Node {
        final ConcurrentHashMap<String, Node> children = new ConcurrentHashMap<>();
        final ConcurrentHashMap<Subscriber, Integer> subscribers = new ConcurrentHashMap<>();

        boolean isEmpty() {
            return children.isEmpty() && subscribers.isEmpty();
        }
    }

    private final Node root = new Node();

    /**
     * Adds or replaces {@code subscriber}'s subscription to {@code filter}.
     *
     * @return true when the subscriber already had a subscription to exactly this filter
     */
    public synchronized boolean subscribe(String filter, Subscriber subscriber, int qos) {
        Node node = root;
        for (String level : filter.split("/", -1)) {
            node = node.children.computeIfAbsent(level, l -> new Node());
        }
        return node.subscribers.put(subscriber, qos) != null;
    }

    /** Removes one subscription; returns false when there was none. */
    public synchronized boolean unsubscribe(String filter, Subscriber subscriber) {
        return remove(root, filter.split("/", -1), 0, subscriber);
    }

    private static boolean remove(Node node, String[] levels, int depth, Subscriber subscriber) {
        if (depth == levels.length) {
            return node.subscribers.remove(subscriber) != null;
        }
        Node child = node.children.get(levels[depth]);
        if (child == null) {
            return false;
        }
        boolean removed = remove(child, levels, depth + 1, subscriber);
        if (child.isEmpty()) {
            node.children.remove(levels[depth], child);
        }
        return removed;
    }

    /**
     * Calls {@code sink} once for each subscriber with a filter matching {@code topic}, with the
     * highest QoS among that subscriber's matching subscriptions (a subscriber with overlapping
     * filters receives the message once [MQTT-3.3.5-1]).
     */
    public void match(String topic, BiConsumer<Subscriber, Integer> sink) {
        Map<Subscriber, Integer> matches = new HashMap<>();
        String[] levels = topic.split("/", -1);
        // [MQTT-4.7.2-1]: filters starting with a wildcard do not match topics starting with '$'
        boolean systemTopic = topic.startsWith("$");
        collect(root, levels, 0, systemTopic, matches);
        matches.forEach(sink);
    }

    private static void collect(Node node, String[] levels, int depth, boolean systemTopic,
                                Map<Subscriber, Integer> matches) {
        boolean wildcardsAllowed = !(systemTopic && depth == 0);
        if (wildcardsAllowed) {
            // '#' matches this level and everything below it, including the parent level [MQTT-4.7.1-2]
            Node multi = node.children.get("#");
            if (multi != null) {
                addAll(multi, matches);
            }
        }
        if (depth == levels.length) {
            addAll(node, matches);
            return;
        }
        Node exact = node.children.get(levels[depth]);
        if (exact != null) {
            collect(exact, levels, depth + 1, systemTopic, matches);
        }
        if (wildcardsAllowed) {
            Node single = node.children.get("+");
            if (single != null) {
                collect(single, levels, depth + 1, systemTopic, matches);
            }
        }
    }

    private static void addAll(Node node, Map<Subscriber, Integer> matches) {
        node.subscribers.forEach((s, qos) -> matches.merge(s, qos, Math::max));
    }
}
