package io.mqttra.cluster;

import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.ringbuffer.StaleSequenceException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This node's inbox: reads its ringbuffer in order and hands each item on, one at a time. It knows how
 * far it has read, so that a caller can wait until everything added before a moment has been handled
 * ({@link #caughtUp()}).
 */
final class Inbox {

    private static final Logger LOG = Logger.getLogger(Inbox.class.getName());
    private static final int BATCH = 512;
    private static final int CHECK_SECONDS = 2;

    private final Ringbuffer<byte[]> ring;
    private final Consumer<NodeItem> handler;
    private final ScheduledExecutorService executor;
    /** The last sequence handled. */
    private volatile long handled;
    private volatile boolean stopped;
    /** The read whose answer counts; an answer to an earlier one, given up on, is ignored. */
    private volatile long generation;
    /** On the executor's thread: what {@link #handled} was at the last check, when items were waiting then. */
    private long stuckAt = -1;
    /** Who waits for which sequence to be handled. */
    private final ConcurrentSkipListMap<Long, CompletableFuture<Void>> waiting = new ConcurrentSkipListMap<>();

    Inbox(Ringbuffer<byte[]> ring, Consumer<NodeItem> handler, ScheduledExecutorService executor) {
        this.ring = ring;
        this.handler = handler;
        this.executor = executor;
    }

    void start() {
        long next = ring.tailSequence() + 1;
        handled = next - 1;
        read(next);
        executor.scheduleWithFixedDelay(this::check, CHECK_SECONDS, CHECK_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * A read waiting on the partition owner of the inbox does not always come back when that member dies
     * (seen with SIGKILL: the survivors' writes reached the ringbuffer's new owner, the read never
     * answered, and the node stopped hearing from the others). Items waiting at two checks in a row, with
     * nothing handled between them, mean the read is lost: another one takes its place.
     */
    private void check() {
        if (stopped) {
            return;
        }
        try {
            long tail = ring.tailSequence();
            long at = handled;
            if (tail <= at) {
                stuckAt = -1;
            } else if (stuckAt == at) {
                LOG.warning("MQTT-RA cluster: this node's inbox read got no answer while " + (tail - at)
                        + " item(s) waited; reading again from " + (at + 1));
                stuckAt = -1;
                read(at + 1);
            } else {
                stuckAt = at;
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "MQTT-RA cluster: checking this node's inbox", e);
        }
    }

    void stop() {
        stopped = true;
        waiting.values().forEach(f -> f.complete(null));
    }

    /** Completes once every item added before this call has been handled. */
    CompletableFuture<Void> caughtUp() {
        return CompletableFuture.supplyAsync(ring::tailSequence, executor).thenCompose(tail -> {
            if (handled >= tail || stopped) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> f = waiting.computeIfAbsent(tail, t -> new CompletableFuture<>());
            if (handled >= tail) {
                f.complete(null);
            }
            return f;
        });
    }

    private void read(long from) {
        if (stopped) {
            return;
        }
        long g = ++generation;
        ring.readManyAsync(from, 1, BATCH, null).whenCompleteAsync((batch, failed) -> {
            if (g != generation) {
                return; // given up on (check)
            }
            if (failed != null) {
                onFailure(from, failed);
            } else {
                handle(batch);
                read(batch.getNextSequenceToReadFrom());
            }
        }, executor);
    }

    private void handle(ReadResultSet<byte[]> batch) {
        for (int i = 0; i < batch.size(); i++) {
            List<NodeItem> items;
            try {
                items = NodeItem.decodeAll(batch.get(i));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "MQTT-RA cluster: an item from another node could not be read", e);
                continue;
            }
            for (NodeItem item : items) {
                try {
                    handler.accept(item);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "MQTT-RA cluster: an item from another node could not be handled", e);
                }
            }
        }
        handled = batch.getNextSequenceToReadFrom() - 1;
        for (Map.Entry<Long, CompletableFuture<Void>> e = waiting.firstEntry(); e != null && e.getKey() <= handled;
             e = waiting.firstEntry()) {
            waiting.remove(e.getKey()).complete(null);
        }
    }

    private void onFailure(long from, Throwable failed) {
        if (stopped) {
            return;
        }
        Throwable cause = failed instanceof java.util.concurrent.CompletionException && failed.getCause() != null
                ? failed.getCause() : failed;
        if (cause instanceof StaleSequenceException) {
            long head = ring.headSequence();
            LOG.severe("MQTT-RA cluster: this node fell " + (head - from) + " items behind its inbox's capacity; "
                    + "those messages from other nodes are lost");
            read(head);
            return;
        }
        if (cause instanceof com.hazelcast.core.HazelcastInstanceNotActiveException
                || cause instanceof com.hazelcast.spi.exception.DistributedObjectDestroyedException) {
            LOG.fine(() -> "MQTT-RA cluster inbox closed: " + cause);
            return;
        }
        LOG.log(Level.WARNING, "MQTT-RA cluster: reading this node's inbox failed; retrying", cause);
        CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS, executor).execute(() -> read(from));
    }
}
