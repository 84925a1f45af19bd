package io.mqttra.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 * {@link CompletableFuture}s.
 */
final class GridFutures implements AutoCloseable {

    private final ExecutorService callbacks = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mqtt-ra-cluster-callbacks");
        t.setDaemon(true);
        return t;
    });

    <T> CompletableFuture<T> plain(CompletionStage<T> gridOperation) {
        CompletableFuture<T> f = new CompletableFuture<>();
        gridOperation.whenCompleteAsync((value, failed) -> {
            if (failed == null) {
                f.complete(value);
            } else {
                f.completeExceptionally(failed);
            }
        }, callbacks);
        return f;
    }

    /** The same, for an operation whose result does not matter. */
    CompletableFuture<Void> done(CompletionStage<?> gridOperation) {
        return plain(gridOperation).thenApply(result -> null);
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
