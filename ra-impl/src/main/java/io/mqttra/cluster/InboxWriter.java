package io.mqttra.cluster;

import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.Ringbuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

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

    /** An item and who waits for it to be added; a reserved place until its item is there ({@link #reserve}). */
    private static final class Waiting {
        private byte[] item;
        private final CompletableFuture<Void> added = new CompletableFuture<>();

        Waiting(byte[] item) {
            this.item = item;
        }
    }

    InboxWriter(Ringbuffer<byte[]> inbox, GridFutures futures) {
        this.inbox = inbox;
        this.futures = futures;
    }

    /** Completes once the inbox's partition owner and its synchronous backups hold {@code item}. */
    CompletableFuture<Void> add(byte[] item) {
        Waiting w = new Waiting(item);
        boolean start;
        synchronized (this) {
            waiting.add(w);
            start = !adding;
            adding = true;
        }
        if (start) {
            addNext();
        }
        return w.added;
    }

    /**
     * A place in this sender's order for an item that is not there yet: whatever is added after this call
     * reaches the inbox after it, and waits until it is given.
     */
    Function<byte[], CompletableFuture<Void>> reserve() {
        Waiting w = new Waiting(null);
        synchronized (this) {
            waiting.add(w);
        }
        return item -> {
            boolean start;
            synchronized (this) {
                w.item = item;
                start = !adding;
                adding = true;
            }
            if (start) {
                addNext();
            }
            return w.added;
        };
    }

    private void addNext() {
        List<Waiting> batch = new ArrayList<>();
        synchronized (this) {
            int bytes = 0;
            while (!waiting.isEmpty() && waiting.peek().item != null && batch.size() < MAX_ITEMS
                    && (batch.isEmpty() || bytes + waiting.peek().item.length <= MAX_BYTES)) {
                Waiting w = waiting.poll();
                bytes += w.item.length;
                batch.add(w);
            }
            if (batch.isEmpty()) {
                adding = false;
                return;
            }
        }
        byte[] payload = batch.size() == 1 ? batch.get(0).item : NodeItem.batch(batch.stream().map(w -> w.item).toList());
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
                    w.added.complete(null);
                } else {
                    w.added.completeExceptionally(failed);
                }
            }
            addNext();
        });
    }
}
