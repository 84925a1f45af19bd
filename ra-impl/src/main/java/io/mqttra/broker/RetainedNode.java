package io.mqttra.broker;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One topic level in {@link RetainedMessages}: the retained message of the topic that ends here, if
 * any, and the levels below. Read without locks; changed under this node's monitor only, one node at a
 * time, so no lock order can deadlock.
 *
 * <p>An empty node (no message, no children) is cut from its parent ({@link #prune}) and marked
 * pruned in the same step, under its monitor, and nothing is added to a pruned node: a child is added
 * under the parent's monitor, a message under the node's own. A writer that walked to a node just
 * before it was pruned sees the mark and walks again from the root, so a concurrent insert is never
 * left in a branch cut from the tree.
 */
final class RetainedNode {

    private final RetainedNode parent;
    private final String level;
    /** Created with the first child (most nodes are leaves); replaced only under this node's monitor. */
    private volatile ConcurrentHashMap<String, RetainedNode> children;
    /** The retained message of the topic that ends here: written under this node's monitor, read without. */
    volatile PublishedMessage message;
    /** Guarded by this node's monitor. */
    private boolean pruned;

    private RetainedNode(RetainedNode parent, String level) {
        this.parent = parent;
        this.level = level;
    }

    /** The node above the first level: never pruned. */
    static RetainedNode root() {
        return new RetainedNode(null, null);
    }

    RetainedNode child(String level) {
        ConcurrentHashMap<String, RetainedNode> c = children;
        return c == null ? null : c.get(level);
    }

    /** The child for {@code level}, added when missing; null when this node has been pruned. */
    synchronized RetainedNode addChild(String level) {
        if (pruned) {
            return null;
        }
        ConcurrentHashMap<String, RetainedNode> c = children;
        if (c == null) {
            c = new ConcurrentHashMap<>(4);
            children = c;
        }
        return c.computeIfAbsent(level, l -> new RetainedNode(this, l));
    }

    /** Whether it has been cut from the tree; the caller holds this node's monitor to act on the answer. */
    synchronized boolean isPruned() {
        return pruned;
    }

    /**
     * Each child, skipping those whose level starts with {@code $} when {@code hideSystem}: a wildcard
     * at a filter's first level does not match them [MQTT-4.7.2-1].
     */
    void forEachChild(boolean hideSystem, Consumer<RetainedNode> action) {
        ConcurrentHashMap<String, RetainedNode> c = children;
        if (c == null) {
            return;
        }
        c.forEach((level, child) -> {
            if (!(hideSystem && level.startsWith("$"))) {
                action.accept(child);
            }
        });
    }

    /** Cuts this node, then each node above it, from the tree while it holds neither a message nor children. */
    void prune() {
        RetainedNode node = this;
        while (node.parent != null) {
            synchronized (node) {
                ConcurrentHashMap<String, RetainedNode> c = node.children;
                if (node.pruned || node.message != null || (c != null && !c.isEmpty())) {
                    return;
                }
                node.pruned = true;
                node.parent.children.remove(node.level, node);
            }
            node = node.parent;
        }
    }
}
