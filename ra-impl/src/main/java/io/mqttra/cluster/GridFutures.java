package io.mqttra.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Where what follows a grid operation runs. Hazelcast runs a callback added without an executor on its
 * default async executor, which on a machine with two cores (a common pool of parallelism 1) is a new
 * thread per callback: a persistent session's QoS 1 stream started 400,000 threads for 100,000 messages
 * and ran at 2% of the rate without the grid. Nor may callbacks run where the operation completes: that
 * can be a partition thread, from which the operations they start (a message to another node's inbox, a
 * delete) are refused. So they run on one thread of the cluster's own, and the broker gets plain
 * {@link CompletableFuture}s; only where what follows is known to hand over to another thread at once
 * (a publisher's acknowledgement goes to its event loop) does it run where the operation completes
 * ({@link #direct}), which saves the hop on a persistent session's every message.
 */
final class GridFutures implements AutoCloseable {

    private final ExecutorService callbacks = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mqtt-ra-cluster-callbacks");
        t.setDaemon(true);
        return t;
    });

    <T> CompletableFuture<T> plain(CompletionStage<T> gridOperation) {
        return completedOn(gridOperation, callbacks);
    }

    /** The same, for an operation whose result does not matter. */
    CompletableFuture<Void> done(CompletionStage<?> gridOperation) {
        return plain(gridOperation).thenApply(result -> null);
    }

    /**
     * Completes where the operation completes, possibly a partition thread: for futures whose dependents
     * only hand over to another thread, never start a grid operation themselves.
     */
    CompletableFuture<Void> direct(CompletionStage<?> gridOperation) {
        return completedOn(gridOperation, Runnable::run).thenApply(result -> null);
    }

    private static <T> CompletableFuture<T> completedOn(CompletionStage<T> gridOperation, Executor executor) {
        CompletableFuture<T> f = new CompletableFuture<>();
        gridOperation.whenCompleteAsync((value, failed) -> {
            if (failed == null) {
                f.complete(value);
            } else {
                f.completeExceptionally(failed);
            }
        }, executor);
        return f;
    }

    /** Runs {@code task} after {@code f}, never on a grid thread. */
    void after(CompletableFuture<?> f, Runnable task) {
        if (f.isDone()) {
            task.run();
        } else {
            f.whenCompleteAsync((value, failed) -> task.run(), callbacks);
        }
    }

    @Override
    public void close() {
        callbacks.shutdown();
        try {
            callbacks.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
