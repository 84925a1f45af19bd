package io.mqttra.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Both ends of a forwarded QoS 1/2 message's receipt. A message in another node's inbox is not yet safe:
 * should that node die after it took the message in and before its persistent subscribers (the grid's
 * copy of a persistent session, a durable queue) hold it, the message would be lost although its
 * publisher was acknowledged. So the sender's acknowledgement also waits for the receiver's
 * {@link NodeItem.Stored}, which the receiver sends once they hold it; when the receiver dies first, the
 * message is parked ({@link ParkedNode}) until its sessions continue elsewhere.
 *
 * <p>The receiver gathers its receipts and sends them in one item per sender whenever the cluster's
 * thread gets to it, so a burst of forwarded messages costs one item back, not one each.
 */
final class ForwardReceipts {

    private record Waiting(String node, ParkedNode.Parcel parcel, CompletableFuture<Void> stored) {
    }

    /** A message forwarded to a node that did not confirm it, in the order {@code id} it was forwarded in. */
    record Unconfirmed(long id, ParkedNode.Parcel parcel, CompletableFuture<Void> stored) {
    }

    private final String self;
    private final Executor executor;
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<Long, Waiting> waiting = new ConcurrentHashMap<>();
    /** Receipts to send, by the node that forwarded; guarded by this object's monitor. */
    private Map<NodeLink, List<Long>> due = new HashMap<>();

    ForwardReceipts(String self, Executor executor) {
        this.self = self;
        this.executor = executor;
    }

    // --- sender ---

    /** A store id for a message forwarded to {@code node}, and what completes when its receipt arrives. */
    long expect(String node, ParkedNode.Parcel parcel, CompletableFuture<Void> stored) {
        long id = ids.incrementAndGet();
        waiting.put(id, new Waiting(node, parcel, stored));
        return id;
    }

    /** The next number in the order messages are forwarded in, for one that is not sent. */
    long nextOrder() {
        return ids.incrementAndGet();
    }

    /** The message {@code id} if it is still unconfirmed, which is then no longer waited for here. */
    Unconfirmed take(long id) {
        Waiting w = waiting.remove(id);
        return w == null ? null : new Unconfirmed(id, w.parcel(), w.stored());
    }

    void received(long[] storeIds) {
        for (long id : storeIds) {
            Waiting w = waiting.remove(Math.abs(id));
            if (w != null) {
                if (id > 0) {
                    w.stored().complete(null);
                } else {
                    w.stored().completeExceptionally(new IllegalStateException("node " + w.node() + " could not store the message"));
                }
            }
        }
    }

    /** {@code node} is gone: what it had not confirmed, in the order it was forwarded in, is no longer waited for here. */
    List<Unconfirmed> takeFrom(String node) {
        List<Unconfirmed> taken = new ArrayList<>();
        waiting.forEach((id, w) -> {
            if (w.node().equals(node) && waiting.remove(id, w)) {
                taken.add(new Unconfirmed(id, w.parcel(), w.stored()));
            }
        });
        taken.sort(Comparator.comparingLong(Unconfirmed::id));
        return taken;
    }

    void clear() {
        waiting.values().forEach(w -> w.stored().completeExceptionally(new IllegalStateException("this node is leaving the cluster")));
        waiting.clear();
    }

    // --- receiver ---

    /** Answers {@code from}'s message {@code storeId} once {@code stored} completes (null: nothing to wait for). */
    void answer(NodeLink from, long storeId, CompletableFuture<Void> stored) {
        if (stored == null) {
            due(from, storeId);
        } else {
            stored.whenComplete((ok, failed) -> due(from, failed == null ? storeId : -storeId));
        }
    }

    private void due(NodeLink to, long id) {
        boolean first;
        synchronized (this) {
            first = due.isEmpty();
            due.computeIfAbsent(to, n -> new ArrayList<>()).add(id);
        }
        if (first) {
            executor.execute(this::send);
        }
    }

    private void send() {
        Map<NodeLink, List<Long>> now;
        synchronized (this) {
            now = due;
            due = new HashMap<>();
        }
        now.forEach((to, list) -> to.send(new NodeItem.Stored(self, list.stream().mapToLong(Long::longValue).toArray())));
    }
}
