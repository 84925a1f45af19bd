package io.mqttra.cluster;

import com.hazelcast.ringbuffer.Ringbuffer;
import io.mqttra.broker.PublishedMessage;
import io.mqttra.broker.RemoteNode;
import io.mqttra.broker.Subscription;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * Another node, as this one writes to it: every item goes into its inbox ringbuffer through one
 * {@link InboxWriter}, so the items of one sender arrive in the order they were sent. A send completes
 * once the ringbuffer's partition owner and its synchronous backups hold the item.
 */
final class NodeLink implements RemoteNode {

    private final String nodeId;
    private final String self;
    private final InboxWriter inbox;
    private final ForwardReceipts receipts;
    private volatile ParkedNode parked;

    NodeLink(String nodeId, String self, Ringbuffer<byte[]> inbox, ForwardReceipts receipts, GridFutures futures) {
        this.nodeId = nodeId;
        this.self = self;
        this.inbox = new InboxWriter(inbox, futures);
        this.receipts = receipts;
    }

    String nodeId() {
        return nodeId;
    }

    @Override
    public String subscriberId() {
        return "node " + nodeId;
    }

    @Override
    public CompletableFuture<Void> forward(PublishedMessage message, boolean ordinary, List<Subscription> shared) {
        ParkedNode.Parcel parcel = new ParkedNode.Parcel(message, ordinary, List.copyOf(shared));
        if (message.qos() == 0) {
            if (parked == null) {
                send(new NodeItem.Forward(self, ordinary, parcel.shared(), message, 0));
            }
            return null;
        }
        return deliver(parcel, storeId -> new NodeItem.Forward(self, ordinary, parcel.shared(), message, storeId));
    }

    /**
     * A copy of a message that was on its way to {@code goneNode}, for the sessions this node took over
     * from it (and for the groups in {@code parcel}'s shared list when {@code withShared}).
     */
    CompletableFuture<Void> resend(String goneNode, ParkedNode.Parcel parcel, boolean withShared) {
        List<Subscription> shared = withShared ? parcel.shared() : List.of();
        return deliver(new ParkedNode.Parcel(parcel.message(), false, shared),
                storeId -> new NodeItem.Resend(self, goneNode, shared, parcel.message(), storeId));
    }

    @Override
    public CompletableFuture<Void> forwardToMoved(String clientId, PublishedMessage message) {
        return deliver(new ParkedNode.Parcel(message, false, List.of()), storeId -> new NodeItem.Moved(self, clientId, message, storeId));
    }

    /** This node is gone: what is forwarded to it from now on is held by {@code node}. */
    void park(ParkedNode node) {
        parked = node;
    }

    /** Completes once the other node's persistent subscribers hold the message, not when it is in its inbox. */
    private CompletableFuture<Void> deliver(ParkedNode.Parcel parcel, LongFunction<NodeItem> item) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        ParkedNode p = parked;
        if (p != null) {
            return p.park(receipts.nextOrder(), parcel, stored);
        }
        long storeId = receipts.expect(nodeId, parcel, stored);
        p = parked;
        if (p != null) {
            // it went while this was being sent: whichever of this and the loss takes the wait parks it
            ForwardReceipts.Unconfirmed u = receipts.take(storeId);
            return u == null ? stored : p.park(storeId, parcel, stored);
        }
        send(item.apply(storeId)).whenComplete((ok, failed) -> {
            if (failed != null) {
                receipts.received(new long[] {-storeId});
            }
        });
        return stored;
    }

    CompletableFuture<Void> send(NodeItem item) {
        return inbox.add(NodeItem.encode(item));
    }

    /** A place in the order for an item given later: what is sent meanwhile goes after it. */
    Function<NodeItem, CompletableFuture<Void>> reserve() {
        Function<byte[], CompletableFuture<Void>> slot = inbox.reserve();
        return item -> slot.apply(NodeItem.encode(item));
    }

    @Override
    public String toString() {
        return subscriberId();
    }
}
