package io.mqttra.jms;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JMS message ids: {@code ID:}, a random UUID drawn once per JVM, and a sequence number. They are as
 * unique as a random UUID per message (another JVM or a restart draws another prefix) and cost an
 * increment: {@code UUID.randomUUID()} per message would read the system's random source under a
 * lock, a real share of the cost of a non-transacted MDB delivery.
 */
public final class MessageIds {

    private static final String PREFIX = "ID:" + UUID.randomUUID() + "-";
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private MessageIds() {
    }

    public static String next() {
        return PREFIX + Long.toHexString(SEQUENCE.incrementAndGet());
    }
}
