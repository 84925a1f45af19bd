package io.mqttra.broker;

import io.netty.channel.Channel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The deliveries publishers' threads hand to one client's {@link Outbox}, in arrival order, until the
 * client's event loop takes them in (the outbox's class comment says why). It holds no more than the
 * outbox could take from it: a QoS 0 message to a connected client reserves its bytes in the
 * {@link ClientBuffer} on arrival rather than when its turn comes, and any other message counts against
 * {@code maxQueuedPerClient + maxInflightPerClient}, beyond which the queue's overflow rule applies here
 * already. So a client whose event loop falls behind its publishers costs no more than its queue.
 */
final class Inbox {

    /** Where a message the inbox has no room for goes, to be counted and logged. */
    interface Drops {
        void drop(PendingDelivery delivery, String why);
    }

    private final Queue<PendingDelivery> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger counted = new AtomicInteger();
    /** A drain is due: set by the delivery that finds it clear, cleared by the drain before it polls. */
    private final AtomicBoolean drainDue = new AtomicBoolean();
    private final int maxCounted;
    private final boolean dropOldest;
    private final ClientBuffer buffer;
    private final Drops drops;

    Inbox(BrokerConfig config, ClientBuffer buffer, Drops drops) {
        this.maxCounted = (int) Math.min(Integer.MAX_VALUE, (long) config.maxQueuedPerClient() + config.maxInflightPerClient());
        this.dropOldest = config.queueOverflow() == BrokerConfig.QueueOverflow.DROP_OLDEST && config.maxQueuedPerClient() > 0;
        this.buffer = buffer;
        this.drops = drops;
    }

    /**
     * Takes a delivery for a client connected on {@code ch} (null: offline), unless there is no room for
     * it. Returns whether the caller must start a drain: none was due. A drain that is due polls after
     * clearing the flag, so it sees every delivery offered before one found the flag set.
     */
    boolean offer(PendingDelivery d, Channel ch) {
        if (!admit(d, ch)) {
            return false;
        }
        queue.offer(d);
        return drainDue.compareAndSet(false, true);
    }

    private boolean admit(PendingDelivery d, Channel ch) {
        if (d.delivery.qos() == 0 && ch != null) {
            if (!buffer.hasRoom(ch)) {
                drops.drop(d, "client not reading");
                return false;
            }
            buffer.reserve(d);
            return true;
        }
        d.counted = true;
        if (counted.incrementAndGet() <= maxCounted) {
            return true;
        }
        if (dropOldest) {
            PendingDelivery oldest;
            while (counted.get() > maxCounted && (oldest = poll()) != null) {
                buffer.release(oldest);
                drops.drop(oldest, "inbox full (" + maxCounted + " messages), oldest dropped");
            }
            return true;
        }
        counted.decrementAndGet();
        drops.drop(d, "inbox full (" + maxCounted + " messages)");
        return false;
    }

    /** A drain starts: deliveries offered from now on start another. */
    void draining() {
        drainDue.set(false);
    }

    /** The oldest delivery, or null. */
    PendingDelivery poll() {
        PendingDelivery d = queue.poll();
        if (d != null && d.counted) {
            d.counted = false;
            counted.decrementAndGet();
        }
        return d;
    }
}
