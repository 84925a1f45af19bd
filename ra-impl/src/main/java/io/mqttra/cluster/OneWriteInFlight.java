package io.mqttra.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * Hands items to the grid with one operation in flight at a time: what is submitted meanwhile waits, and
 * goes with the next operation, as many items as fit in one. At a low rate an item goes at once, alone;
 * under load a burst costs one grid operation and one completion instead of one each, and the items
 * reach the grid in the order they were submitted. The next operation starts on the cluster's callback
 * thread, because the previous one may complete on a partition thread, from which grid operations are
 * refused.
 *
 * @param <T> what is written
 */
abstract class OneWriteInFlight<T> {

    private final GridFutures futures;
    private final int maxItems;
    private final int maxBytes;
    private final ArrayDeque<Waiting<T>> waiting = new ArrayDeque<>();
    private boolean writing;

    private record Waiting<T>(T item, int bytes, CompletableFuture<Void> written) {
    }

    /**
     * @param maxItems items in one operation at most
     * @param maxBytes their {@link #bytes} together at most, but for an item larger than that, which goes alone
     */
    OneWriteInFlight(GridFutures futures, int maxItems, int maxBytes) {
        this.futures = futures;
        this.maxItems = maxItems;
        this.maxBytes = maxBytes;
    }

    /** What {@code item} counts against the bytes one operation may carry. */
    abstract int bytes(T item);

    /** Starts the grid operation that writes {@code batch}, in its order. */
    abstract CompletableFuture<?> write(List<T> batch);

    /** Completes once the grid holds {@code item} (or exceptionally when it could not be written). */
    final CompletableFuture<Void> submit(T item) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        boolean start;
        synchronized (this) {
            waiting.add(new Waiting<>(item, bytes(item), written));
            start = !writing;
            writing = true;
        }
        if (start) {
            writeNext();
        }
        return written;
    }

    private void writeNext() {
        List<Waiting<T>> batch = new ArrayList<>();
        synchronized (this) {
            int bytes = 0;
            while (!waiting.isEmpty() && batch.size() < maxItems
                    && (batch.isEmpty() || bytes + waiting.peek().bytes() <= maxBytes)) {
                Waiting<T> w = waiting.poll();
                bytes += w.bytes();
                batch.add(w);
            }
            if (batch.isEmpty()) {
                writing = false;
                return;
            }
        }
        CompletableFuture<?> write;
        try {
            write = write(batch.stream().map(Waiting::item).toList());
        } catch (RuntimeException notActive) {
            write = CompletableFuture.failedFuture(notActive);
        }
        write.whenComplete((done, failed) -> {
            for (Waiting<T> w : batch) {
                if (failed == null) {
                    w.written().complete(null);
                } else {
                    w.written().completeExceptionally(failed);
                }
            }
            try {
                futures.execute(this::writeNext);
            } catch (RejectedExecutionException stopped) {
                failWaiting(stopped);
            }
        });
    }

    /** The cluster stopped: what still waits is not written, and whoever waits for it hears so. */
    private void failWaiting(RuntimeException why) {
        List<Waiting<T>> left;
        synchronized (this) {
            left = new ArrayList<>(waiting);
            waiting.clear();
            writing = false;
        }
        left.forEach(w -> w.written().completeExceptionally(why));
    }
}
