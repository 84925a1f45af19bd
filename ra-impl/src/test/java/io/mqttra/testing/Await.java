package io.mqttra.testing;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Waits for something a test cannot be told about directly: a count reaching a number, a session
 * ending, a row in a table. It polls, every millisecond at first and backing off to every 100 ms, and
 * fails with a message that names what it waited for.
 *
 * <p>Not for proving that something did not happen: for that, wait for a later marker that must come
 * after it on the same ordered path, then assert it did not come.
 *
 * <p>Shared with arquillian-tests through ra-impl's test jar; in its own package so that a test WAR
 * can carry it without splitting a package of the adapter it also sees.
 */
public final class Await {

    /** A condition to poll. An exception it throws ends the wait at once. */
    @FunctionalInterface
    public interface Condition {
        boolean met() throws Exception;
    }

    /** Reads a value to poll. An exception it throws ends the wait at once. */
    @FunctionalInterface
    public interface Probe<T> {
        T read() throws Exception;
    }

    private static final long FIRST_PAUSE_MILLIS = 1;
    private static final long LONGEST_PAUSE_MILLIS = 100;

    private Await() {
    }

    /**
     * Returns as soon as {@code condition} is met.
     *
     * @param what what is awaited, for the failure message: "the session of c1 to expire"
     * @throws AssertionError when {@code timeout} passes first
     */
    public static void until(Duration timeout, String what, Condition condition) throws Exception {
        poll(timeout, what, () -> condition.met(), met -> met, false);
    }

    /**
     * Returns the first value of {@code probe} that {@code done} accepts.
     *
     * @param what what is awaited, for the failure message: "1000 rows in IT_ORDERS"
     * @throws AssertionError when {@code timeout} passes first; its message shows the last value read
     */
    public static <T> T until(Duration timeout, String what, Probe<T> probe, Predicate<? super T> done) throws Exception {
        return poll(timeout, what, probe, done, true);
    }

    private static <T> T poll(Duration timeout, String what, Probe<T> probe, Predicate<? super T> done, boolean showLast)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_PAUSE_MILLIS;
        while (true) {
            T value = probe.read();
            if (done.test(value)) {
                return value;
            }
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                throw new AssertionError("Waited " + timeout.toMillis() + " ms for " + what
                        + (showLast ? "; last seen: " + value : ""));
            }
            Thread.sleep(Math.min(pause, leftMillis));
            pause = Math.min(pause * 2, LONGEST_PAUSE_MILLIS);
        }
    }
}
