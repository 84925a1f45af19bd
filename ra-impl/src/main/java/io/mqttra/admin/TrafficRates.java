package io.mqttra.admin;

import io.mqttra.broker.BrokerStats;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Message and byte rates from the broker's counters: a sample every interval on a thread of its own,
 * and each rate the difference between the last two samples. Nothing is counted twice; the hot path
 * does not know this class.
 */
final class TrafficRates implements AutoCloseable {

    /** One reading of the counters. */
    private record Sample(long atNanos, long received, long sent, long bytesReceived, long bytesSent) {
    }

    /** The last two samples, replaced together. */
    private record Window(Sample previous, Sample last) {
    }

    private final BrokerStats stats;
    private final int intervalSeconds;
    private final ScheduledExecutorService timer;
    private volatile Window window;

    TrafficRates(BrokerStats stats, int intervalSeconds) {
        this.stats = stats;
        this.intervalSeconds = intervalSeconds;
        Sample first = sample();
        this.window = new Window(first, first);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mqtt-ra-admin-rates");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> window = new Window(window.last(), sample()), intervalSeconds, intervalSeconds,
                TimeUnit.SECONDS);
    }

    private Sample sample() {
        return new Sample(System.nanoTime(), stats.messagesReceived(), stats.messagesSent(), stats.bytesReceived(),
                stats.bytesSent());
    }

    int intervalSeconds() {
        return intervalSeconds;
    }

    double messagesReceivedPerSecond() {
        return rate(Sample::received);
    }

    double messagesSentPerSecond() {
        return rate(Sample::sent);
    }

    double bytesReceivedPerSecond() {
        return rate(Sample::bytesReceived);
    }

    double bytesSentPerSecond() {
        return rate(Sample::bytesSent);
    }

    /** Over the last completed interval; 0 until one has completed. */
    private double rate(ToLongFunction<Sample> counter) {
        Window w = window;
        long nanos = w.last().atNanos() - w.previous().atNanos();
        return nanos <= 0 ? 0 : (counter.applyAsLong(w.last()) - counter.applyAsLong(w.previous())) * 1e9 / nanos;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
