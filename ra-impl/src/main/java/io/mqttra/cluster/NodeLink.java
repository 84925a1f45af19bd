package io.mqttra.cluster;

import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.mqttra.broker.PublishedMessage;
import io.mqttra.broker.RemoteNode;
import io.mqttra.broker.Subscription;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Another node, as this one writes to it: every item goes into its inbox ringbuffer, so the items of one
 * sender arrive in the order they were sent. An add completes once the ringbuffer's partition owner
 * and its synchronous backups hold the item.
 */
final class NodeLink implements RemoteNode {

    private final String nodeId;
    private final String self;
    private final Ringbuffer<byte[]> inbox;

    NodeLink(String nodeId, String self, Ringbuffer<byte[]> inbox) {
        this.nodeId = nodeId;
        this.self = self;
        this.inbox = inbox;
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
        CompletableFuture<Void> added = send(new NodeItem.Forward(self, ordinary, List.copyOf(shared), message));
        return message.qos() == 0 ? null : added;
    }

    CompletableFuture<Void> send(NodeItem item) {
        // OVERWRITE: a reader more than the capacity behind finds out (StaleSequenceException) and says so;
        // FAIL would refuse adds while read items are kept for their time to live
        return inbox.addAsync(NodeItem.encode(item), OverflowPolicy.OVERWRITE).toCompletableFuture().thenApply(seq -> null);
    }

    @Override
    public String toString() {
        return subscriberId();
    }
}
