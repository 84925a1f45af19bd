package io.mqttra.broker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * The last retained message of each topic (MQTT 3.1.1 section 3.3.1.3), in memory, bounded in count
 * and bytes: clients choose what is retained, and the heap is the server's. A message beyond the
 * bounds is still delivered, but not kept (counted, and logged at most once per 10 s). The bounds
 * hold exactly, also under concurrent publishes.
 *
 * <p>The messages sit in a tree of topic levels ({@link RetainedNode}), so that a new subscription
 * visits only the branches its filter can match: {@code +} one level, {@code #} one subtree. A SUBSCRIBE
 * runs on its connection's I/O thread, and a scan of every retained message there stalled every
 * connection on that thread for as long as the store was large. Lookups take no lock; a store or a
 * deletion locks only the nodes of its own topic, one at a time.
 */
public final class RetainedMessages {

    private static final RateLimitedLog REFUSALS = new RateLimitedLog(Logger.getLogger(RetainedMessages.class.getName()), 10_000);

    private final RetainedNode root = RetainedNode.root();
    private final int maxMessages;
    private final long maxBytes;
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final LongAdder refused = new LongAdder();
    private final LongAdder nodesVisited = new LongAdder();

    /** Without bounds. */
    public RetainedMessages() {
        this(Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    public RetainedMessages(int maxMessages, long maxBytes) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /**
     * Stores {@code message} as its topic's retained message; a zero-length payload deletes the
     * topic's retained message instead [MQTT-3.3.1-10].
     *
     * @return false when the bounds left no room for it (it replaces nothing then)
     */
    public boolean store(PublishedMessage message) {
        String topic = message.topic();
        if (message.payload().length == 0) {
            RetainedNode node = find(topic);
            if (node != null) {
                clear(node, null);
            }
            return true;
        }
        for (;;) {
            // at the count bound only a topic that has a message may take one: no branch is grown for nothing
            RetainedNode node = count.get() >= maxMessages ? find(topic) : findOrAdd(topic);
            Boolean kept = node == null ? Boolean.FALSE : replace(node, message);
            if (kept == null) {
                continue; // pruned between the walk and the lock: walk again
            }
            if (!kept) {
                if (node != null) {
                    node.prune(); // the walk may have added the branch for nothing
                }
                refused.increment();
                REFUSALS.info(() -> "Retained messages are at their bound (maxRetainedMessages " + maxMessages
                        + ", maxRetainedBytes " + maxBytes + "): the one on " + topic + " was delivered but not kept");
            }
            return kept;
        }
    }

    /** True when kept, false when the bounds refused it, null when the node was pruned meanwhile. */
    private Boolean replace(RetainedNode node, PublishedMessage message) {
        synchronized (node) {
            if (node.isPruned()) {
                return null;
            }
            PublishedMessage old = node.message;
            long delta = weight(message) - (old == null ? 0 : weight(old));
            if (old == null && !reserve(count, 1, maxMessages)) {
                return false;
            }
            if (delta > 0 && !reserve(bytes, delta, maxBytes)) {
                if (old == null) {
                    count.decrementAndGet();
                }
                return false;
            }
            if (delta <= 0) {
                bytes.addAndGet(delta);
            }
            node.message = message;
            return true;
        }
    }

    /**
     * Removes {@code node}'s message when it is {@code expected} (any message when null), and the
     * branches that leaves empty; returns whether it removed one.
     */
    private boolean clear(RetainedNode node, PublishedMessage expected) {
        synchronized (node) {
            PublishedMessage old = node.message;
            if (old == null || (expected != null && old != expected)) {
                return false;
            }
            node.message = null;
            count.decrementAndGet();
            bytes.addAndGet(-weight(old));
        }
        node.prune();
        return true;
    }

    /** Deletes the retained message of {@code topic} (an administrator's deletion); false when it had none. */
    public boolean remove(String topic) {
        RetainedNode node = find(topic);
        return node != null && clear(node, null);
    }

    /**
     * Deletes the retained messages matching {@code filter} as {@link #matching} finds them; one replaced
     * meanwhile stays, as the newer message was not among those found. Returns how many went.
     */
    public int removeMatching(String filter, long now) {
        int removed = 0;
        for (PublishedMessage m : matching(filter, now)) {
            RetainedNode node = find(m.topic());
            if (node != null && clear(node, m)) {
                removed++;
            }
        }
        return removed;
    }

    /** Adds {@code amount} unless that takes {@code counter} past {@code bound}; the check and the add are one step. */
    private static boolean reserve(AtomicLong counter, long amount, long bound) {
        long c;
        do {
            c = counter.get();
            if (c > bound - amount) {
                return false;
            }
        } while (!counter.compareAndSet(c, c + amount));
        return true;
    }

    /** What a retained message costs, roughly: its payload and its topic. */
    private static long weight(PublishedMessage m) {
        return m.payload().length + 2L * m.topic().length();
    }

    /** The node of {@code topic}, or null when no branch leads there. */
    private RetainedNode find(String topic) {
        RetainedNode node = root;
        int start = 0;
        for (;;) {
            int slash = topic.indexOf('/', start);
            node = node.child(slash < 0 ? topic.substring(start) : topic.substring(start, slash));
            if (node == null || slash < 0) {
                return node;
            }
            start = slash + 1;
        }
    }

    /** The node of {@code topic}, with the branch to it added where missing. */
    private RetainedNode findOrAdd(String topic) {
        walk:
        for (;;) {
            RetainedNode node = root;
            int start = 0;
            for (;;) {
                int slash = topic.indexOf('/', start);
                String level = slash < 0 ? topic.substring(start) : topic.substring(start, slash);
                RetainedNode child = node.child(level);
                if (child == null) {
                    child = node.addChild(level);
                    if (child == null) {
                        continue walk; // node was pruned under us
                    }
                }
                node = child;
                if (slash < 0) {
                    return node;
                }
                start = slash + 1;
            }
        }
    }

    /** A node to visit in a lookup, and the index of the filter level that applies to its children. */
    private record Visit(RetainedNode node, int level) {
    }

    /**
     * The retained messages whose topics match {@code filter}, visiting only the branches the filter can
     * match. Filters starting with a wildcard do not match topics starting with {@code $} [MQTT-4.7.2-1];
     * {@code a/#} matches {@code a} too [MQTT-4.7.1-2]. Expired messages are removed instead (MQTT 5.0
     * section 3.3.2.3.3).
     */
    public List<PublishedMessage> matching(String filter, long now) {
        String[] levels = filter.split("/", -1);
        List<PublishedMessage> result = new ArrayList<>();
        List<Expired> expired = null;
        ArrayDeque<Visit> toVisit = new ArrayDeque<>();
        toVisit.push(new Visit(root, 0));
        int visited = 0;
        while (!toVisit.isEmpty()) {
            Visit v = toVisit.pop();
            RetainedNode node = v.node();
            visited++;
            if (v.level() == levels.length) {
                expired = take(node, now, result, expired);
                continue;
            }
            String level = levels[v.level()];
            // [MQTT-4.7.2-1]: only the first level is concerned, as only a topic's start can be '$'
            boolean hideSystem = v.level() == 0;
            if (level.equals("#")) {
                expired = take(node, now, result, expired); // the parent level [MQTT-4.7.1-2]
                ArrayDeque<RetainedNode> subtree = new ArrayDeque<>();
                node.forEachChild(hideSystem, subtree::push);
                while (!subtree.isEmpty()) {
                    RetainedNode n = subtree.pop();
                    visited++;
                    expired = take(n, now, result, expired);
                    n.forEachChild(false, subtree::push);
                }
            } else if (level.equals("+")) {
                node.forEachChild(hideSystem, child -> toVisit.push(new Visit(child, v.level() + 1)));
            } else {
                RetainedNode child = node.child(level);
                if (child != null) {
                    toVisit.push(new Visit(child, v.level() + 1));
                }
            }
        }
        nodesVisited.add(visited);
        if (expired != null) {
            for (Expired e : expired) {
                clear(e.node(), e.message());
            }
        }
        return result;
    }

    /** An expired message a lookup found, removed once the lookup is done unless replaced meanwhile. */
    private record Expired(RetainedNode node, PublishedMessage message) {
    }

    /** Adds {@code node}'s message to {@code result}, or to {@code expired} when it has expired. */
    private static List<Expired> take(RetainedNode node, long now, List<PublishedMessage> result,
                                      List<Expired> expired) {
        PublishedMessage m = node.message;
        if (m == null) {
            return expired;
        }
        if (!m.isExpired(now)) {
            result.add(m);
            return expired;
        }
        List<Expired> e = expired == null ? new ArrayList<>() : expired;
        e.add(new Expired(node, m));
        return e;
    }

    public int size() {
        return (int) count.get(); // at most maxMessages, an int
    }

    /** Bytes the retained messages take, as the bounds count them. */
    public long bytes() {
        return bytes.get();
    }

    /** Retained messages not kept because of the bounds. */
    public long refused() {
        return refused.sum();
    }

    /** Topic-level nodes that lookups have visited so far: what a lookup costs, without timing it. */
    long nodesVisited() {
        return nodesVisited.sum();
    }

    /** Topic-level nodes in the tree, the root not counted (tests: empty branches are pruned). */
    int nodeCount() {
        int n = 0;
        ArrayDeque<RetainedNode> toVisit = new ArrayDeque<>();
        root.forEachChild(false, toVisit::push);
        while (!toVisit.isEmpty()) {
            n++;
            toVisit.pop().forEachChild(false, toVisit::push);
        }
        return n;
    }
}
