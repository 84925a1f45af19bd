package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What a fuzz run fails on, as the log shows it: an exception that escaped a connection's handling
 * (the connection handler's WARNING "unexpected error") and Netty's leak reports ("LEAK: ..."), which
 * reach {@code java.util.logging} through slf4j-jdk14. Turns the leak detector up while it watches.
 */
final class FuzzWatch implements AutoCloseable {

    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final ResourceLeakDetector.Level levelBefore = ResourceLeakDetector.getLevel();
    private final Logger root = Logger.getLogger("");
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            String message = String.valueOf(r.getMessage());
            if (r.getLevel().intValue() >= Level.WARNING.intValue()
                    && (message.contains("unexpected error") || message.contains("LEAK"))) {
                problems.add(message + (r.getThrown() != null ? ": " + r.getThrown() : ""));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    FuzzWatch(ResourceLeakDetector.Level level) {
        ResourceLeakDetector.setLevel(level);
        root.addHandler(handler);
    }

    List<String> problems() {
        return problems;
    }

    /** Fails naming the input when anything went wrong so far. */
    void check(long input, long inputSeed) {
        if (!problems.isEmpty()) {
            throw new AssertionError("input " + input + " (seed " + inputSeed + "): " + problems);
        }
    }

    /**
     * Lets the leak detector report what was leaked so far: it reports a leaked buffer once the buffer
     * has been collected, when the next buffer is allocated.
     */
    static void collectLeaks() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
            b.release();
        }
    }

    /** A client that connects, subscribes and receives its own message: the broker still serves others. */
    static void assertBrokerStillServes(MqttBroker broker) throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.localAddress())) {
            c.connect("control");
            assertEquals(0, c.read().body()[1]);
            c.subscribe(1, "fuzz/control", 1);
            c.read();
            c.publish("fuzz/control", "still here", 1, 2);
            boolean gotIt = false;
            for (int i = 0; i < 3 && !gotIt; i++) {
                RawMqttClient.Packet p = c.read();
                gotIt = p.type() == RawMqttClient.PUBLISH;
            }
            assertTrue(gotIt, "the broker still routes for other clients");
        }
    }

    @Override
    public void close() {
        root.removeHandler(handler);
        ResourceLeakDetector.setLevel(levelBefore);
    }
}
