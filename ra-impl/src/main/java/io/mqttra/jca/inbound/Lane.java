package io.mqttra.jca.inbound;

import io.mqttra.broker.MessageStore.StoredMessage;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Messages waiting for a bean, and the deliveries running from them. With {@code ordering=PER_TOPIC}
 * a topic always maps to the same lane and a lane runs one delivery at a time, so a topic's messages
 * reach the bean in publish order; with {@code NONE} one lane runs up to {@code maxSessions}.
 */
final class Lane {

    final ConcurrentLinkedDeque<StoredMessage> queue = new ConcurrentLinkedDeque<>();
    final AtomicInteger running = new AtomicInteger();
    final int maxRunning;
    /** No delivery starts from this lane before this time (epoch ms): its head waits for redeliveryDelay. */
    volatile long pausedUntil;

    Lane(int maxRunning) {
        this.maxRunning = maxRunning;
    }
}
