package io.mqttra.broker;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A log line that a flood of events cannot turn into a flood of lines: at most one per interval,
 * saying how many like it were left out since the last one. For refusals a client causes (failed
 * logins, denied topics), which an operator must see but an attacker must not be able to use to fill
 * the disk. Every event is still logged at FINE.
 */
final class RateLimitedLog {

    private final Logger log;
    private final long intervalMillis;
    private final AtomicLong nextAllowedMillis = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalMillis = intervalMillis;
    }

    void info(Supplier<String> message) {
        long now = System.currentTimeMillis();
        long next = nextAllowedMillis.get();
        if (now >= next && nextAllowedMillis.compareAndSet(next, now + intervalMillis)) {
            long left = suppressed.getAndSet(0);
            if (log.isLoggable(Level.INFO)) {
                log.info(message.get() + (left > 0 ? " (and " + left + " more like it since the last such line)" : ""));
            }
        } else {
            suppressed.incrementAndGet();
            log.fine(message);
        }
    }
}
