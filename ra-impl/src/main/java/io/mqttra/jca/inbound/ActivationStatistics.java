package io.mqttra.jca.inbound;

import java.util.concurrent.atomic.LongAdder;

/**
 * What became of one activation's messages since it was activated, for administrators: counted where
 * each outcome is decided, read without locks.
 */
public final class ActivationStatistics {

    private final LongAdder delivered = new LongAdder();
    private final LongAdder redelivered = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    /** The last failure and its time, replaced together. */
    private volatile Failure lastFailure;

    /** A delivery that failed: what was thrown (its root cause) and when. */
    public record Failure(String error, long at) {
    }

    void countDelivered() {
        delivered.increment();
    }

    void countRedelivered() {
        redelivered.increment();
    }

    void countDeadLettered() {
        deadLettered.increment();
    }

    void countDropped() {
        dropped.increment();
    }

    void countFailure(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        lastFailure = new Failure(root == e ? e.toString() : e + " (cause: " + root + ")", System.currentTimeMillis());
    }

    /** Messages the bean processed: its transaction committed, or {@code onMessage} returned normally. */
    public long delivered() {
        return delivered.sum();
    }

    /** Failed deliveries that were scheduled again. */
    public long redelivered() {
        return redelivered.sum();
    }

    /** Messages published to the dead-letter topic. */
    public long deadLettered() {
        return deadLettered.sum();
    }

    /** Messages the queue's bound dropped, and failed messages given up (QoS 0, or no dead-letter topic). */
    public long dropped() {
        return dropped.sum();
    }

    /** The last failed delivery, or null. */
    public Failure lastFailure() {
        return lastFailure;
    }
}
