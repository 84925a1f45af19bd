package io.mqttra.cluster;

import io.mqttra.broker.PublishedMessage;
import io.mqttra.broker.Subscription;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * The QoS 1/2 messages this node was forwarding to a node that died: those it had not confirmed yet and
 * those its routes still matched afterwards. Its persistent sessions continue on the survivors that take
 * them over from the grid, but until they have, nobody subscribes for them, and acknowledging such a
 * message to its publisher would lose it for them. So each message is held, and copied to every survivor
 * as soon as it says it took sessions over ({@link NodeItem.Adopted}, sent after its routes for them);
 * once every survivor has said so, the dead node's routes go and the publishers are acknowledged when the
 * copies are held. A message parked after that (routed before the adopters' routes got here) is copied too.
 * A message held here may also reach an adopted session through the adopter's own
 * route, in the moment between the two: a duplicate, which QoS 1 allows.
 */
final class ParkedNode {

    /** A message as it was forwarded: to the ordinary subscribers, and to the shared groups listed. */
    record Parcel(PublishedMessage message, boolean ordinary, List<Subscription> shared) {
    }

    private record Held(Parcel parcel, CompletableFuture<Void> acknowledged, List<CompletableFuture<Void>> copies) {
    }

    private final String nodeId;
    private final Set<String> awaiting;
    /** By the order the messages were first forwarded in. */
    private final TreeMap<Long, Held> held = new TreeMap<>();
    /** Per adopter, how a copy gets there (with the shared groups or without). */
    private final List<BiFunction<Parcel, Boolean, CompletableFuture<Void>>> adopters = new ArrayList<>();
    private boolean released;

    /** @param survivors the other nodes that may take sessions of {@code nodeId} over, and will say so */
    ParkedNode(String nodeId, Set<String> survivors) {
        this.nodeId = nodeId;
        this.awaiting = new HashSet<>(survivors);
    }

    String nodeId() {
        return nodeId;
    }

    /**
     * Holds a message forwarded to the dead node in the order {@code order}, copying it to the adopters
     * known so far; {@code acknowledged} completes once it is safe.
     */
    synchronized CompletableFuture<Void> park(long order, Parcel parcel, CompletableFuture<Void> acknowledged) {
        if (released) {
            // routed to the dead node before the adopters' routes reached this node, parked after they answered:
            // their routes did not take it, so it is copied to them like the messages held before
            List<CompletableFuture<Void>> copies = new ArrayList<>(adopters.size());
            for (int i = 0; i < adopters.size(); i++) {
                copies.add(copy(adopters.get(i), parcel, i == 0));
            }
            acknowledgeWhenHeld(copies, acknowledged);
            return acknowledged;
        }
        Held h = new Held(parcel, acknowledged, new ArrayList<>(adopters.size()));
        held.put(order, h);
        for (int i = 0; i < adopters.size(); i++) {
            h.copies().add(copy(adopters.get(i), parcel, i == 0));
        }
        return acknowledged;
    }

    /**
     * A node took sessions of the dead one over: it gets a copy of every held message. Only the first
     * adopter's copy goes to the shared groups, so that a group gets each message once.
     */
    synchronized void adopted(BiFunction<Parcel, Boolean, CompletableFuture<Void>> adopter) {
        if (released) {
            return;
        }
        boolean first = adopters.isEmpty();
        adopters.add(adopter);
        for (Held h : held.values()) {
            h.copies().add(copy(adopter, h.parcel(), first));
        }
    }

    /** {@code survivor} has said what it took over (or is gone too). @return whether that was the last one */
    synchronized boolean answered(String survivor) {
        awaiting.remove(survivor);
        return awaiting.isEmpty() && release();
    }

    synchronized Set<String> awaiting() {
        return Set.copyOf(awaiting);
    }

    /**
     * Every session that could be taken over has been: each held message is acknowledged once its copies
     * are held. @return false when it was released before
     */
    synchronized boolean release() {
        if (released) {
            return false;
        }
        released = true;
        for (Map.Entry<Long, Held> e : held.entrySet()) {
            Held h = e.getValue();
            acknowledgeWhenHeld(h.copies(), h.acknowledged());
        }
        held.clear();
        return true;
    }

    /**
     * A copy on its way to one adopter. The adopter's own sessions answer null when none took it (the
     * session has it already, or moved on): nothing to wait for. A null among the futures waited for
     * once threw where the held messages are released, and their publishers were never acknowledged.
     */
    private static CompletableFuture<Void> copy(BiFunction<Parcel, Boolean, CompletableFuture<Void>> adopter, Parcel parcel,
                                                boolean withShared) {
        CompletableFuture<Void> f = adopter.apply(parcel, withShared);
        return f == null ? CompletableFuture.completedFuture(null) : f;
    }

    private static void acknowledgeWhenHeld(List<CompletableFuture<Void>> copies, CompletableFuture<Void> acknowledged) {
        if (copies.isEmpty()) {
            acknowledged.complete(null);
            return;
        }
        CompletableFuture.allOf(copies.toArray(CompletableFuture[]::new)).whenComplete((ok, failed) -> {
            if (failed == null) {
                acknowledged.complete(null);
            } else {
                acknowledged.completeExceptionally(failed);
            }
        });
    }
}
