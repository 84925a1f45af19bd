package io.mqttra.cluster;

import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.Ringbuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Adds one sender's items to another node's inbox ringbuffer, a burst as one ringbuffer item. With an
 * add per item, two nodes on this 2-core machine passed QoS 0 at full speed through 65,536 slots faster
 * than the receiver read them, and 46% were lost (#17). One add at a time also keeps the sender's order
 * without relying on the order in which concurrent adds reach the partition.
 */
final class InboxWriter extends OneWriteInFlight<byte[]> {

    /**
     * What one ringbuffer slot holds at most (a message larger than that goes alone). The ringbuffer keeps
     * its last {@link GridInstances#INBOX_CAPACITY} slots, read or not, so this bounds its memory: slots of
     * 512 KiB filled two engines' 1 GiB heaps in a fan-in of 1 KiB messages.
     */
    private static final int MAX_ITEMS = 512;
    private static final int MAX_BYTES = 16 * 1024;

    private final Ringbuffer<byte[]> inbox;
    private final GridFutures futures;

    InboxWriter(Ringbuffer<byte[]> inbox, GridFutures futures) {
        super(futures, MAX_ITEMS, MAX_BYTES);
        this.inbox = inbox;
        this.futures = futures;
    }

    /** Completes once the inbox's partition owner and its synchronous backups hold {@code item}. */
    CompletableFuture<Void> add(byte[] item) {
        return submit(item);
    }

    @Override
    int bytes(byte[] item) {
        return item.length;
    }

    @Override
    CompletableFuture<?> write(List<byte[]> batch) {
        byte[] payload = batch.size() == 1 ? batch.get(0) : NodeItem.batch(batch);
        // OVERWRITE: a reader more than the capacity behind finds out (StaleSequenceException) and says so;
        // FAIL would refuse adds while read items are kept for their time to live.
        // Completed on the callback thread: what waits for an add may send the next item.
        return futures.done(inbox.addAsync(payload, OverflowPolicy.OVERWRITE));
    }
}
