package io.mqttra.cluster;

import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.Ringbuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Adds one sender's items to another node's inbox ringbuffer with one add in flight at a time: what is
 * sent meanwhile waits, and goes as one ringbuffer item with the next add. At a low rate an item goes at
 * once, alone; under load a burst costs one grid round trip and one slot of the ringbuffer instead of one
 * each. With an add per item, two nodes on this 2-core machine passed QoS 0 at full speed through 65,536
 * slots faster than the receiver read them, and 46% were lost (#17). One add at a time also keeps the
 * sender's order without relying on the order in which concurrent adds reach the partition.
 */
final class InboxWriter {

    /**
     * What one ringbuffer slot holds at most (a message larger than that goes alone). The ringbuffer keeps
     * its last {@link GridInstances#INBOX_CAPACITY} slots, read or not, so this bounds its memory: slots of
     * 512 KiB filled two engines' 1 GiB heaps in a fan-in of 1 KiB messages.
     */
    private static final int MAX_ITEMS = 512;
    private static final int MAX_BYTES = 16 * 1024;

    private final Ringbuffer<byte[]> inbox;
    private final GridFutures futures;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private boolean adding;

    private record Waiting(byte[] item, CompletableFuture<Void> added) {
    }

    InboxWriter(Ringbuffer<byte[]> inbox, GridFutures futures) {
        this.inbox = inbox;
        this.futures = futures;
    }

    /** Completes once the inbox's partition owner and its synchronous backups hold {@code item}. */
    CompletableFuture<Void> add(byte[] item) {
        CompletableFuture<Void> added = new CompletableFuture<>();
        boolean start;
        synchronized (this) {
            waiting.add(new Waiting(item, added));
            start = !adding;
            adding = true;
        }
        if (start) {
            addNext();
        }
        return added;
    }

    private void addNext() {
        List<Waiting> batch = new ArrayList<>();
        synchronized (this) {
            int bytes = 0;
            while (!waiting.isEmpty() && batch.size() < MAX_ITEMS
                    && (batch.isEmpty() || bytes + waiting.peek().item().length <= MAX_BYTES)) {
                Waiting w = waiting.poll();
                bytes += w.item().length;
                batch.add(w);
            }
            if (batch.isEmpty()) {
                adding = false;
                return;
            }
        }
        byte[] payload = batch.size() == 1 ? batch.get(0).item() : NodeItem.batch(batch.stream().map(Waiting::item).toList());
        CompletableFuture<Void> add;
        try {
            // OVERWRITE: a reader more than the capacity behind finds out (StaleSequenceException) and says so;
            // FAIL would refuse adds while read items are kept for their time to live
            add = futures.done(inbox.addAsync(payload, OverflowPolicy.OVERWRITE));
        } catch (RuntimeException notActive) {
            add = CompletableFuture.failedFuture(notActive);
        }
        add.whenComplete((sequence, failed) -> {
            for (Waiting w : batch) {
                if (failed == null) {
                    w.added().complete(null);
                } else {
                    w.added().completeExceptionally(failed);
                }
            }
            addNext();
        });
    }
}
