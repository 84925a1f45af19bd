package io.mqttra.broker;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes guessing passwords slow: after a failed login from an address, the next logins from it wait,
 * and each further failure doubles the wait, up to 64 times the first. An address's count is forgotten
 * once it has not failed for twice the longest wait. Counted per IP address, so that one guesser does
 * not slow the devices on other addresses; bounded, so that a flood of addresses cannot fill the heap.
 */
final class LoginThrottle {

    private static final int MAX_DOUBLINGS = 6;
    private static final int MAX_ADDRESSES = 100_000;

    private record Failures(int count, long lastFailureMillis) {
    }

    private final long firstDelayMillis;
    private final long maxDelayMillis;
    private final ConcurrentHashMap<InetAddress, Failures> failures = new ConcurrentHashMap<>();

    LoginThrottle(long firstDelayMillis) {
        this.firstDelayMillis = firstDelayMillis;
        this.maxDelayMillis = firstDelayMillis << MAX_DOUBLINGS;
    }

    /** How long a login from {@code address} waits before it is checked (0: at once). */
    long waitBeforeCheck(InetAddress address, long now) {
        Failures f = current(address, now);
        return f == null ? 0 : Math.max(0, f.lastFailureMillis() + delay(f.count()) - now);
    }

    /** Records a failed login; returns how long the refusal waits before it is sent. */
    long failed(InetAddress address, long now) {
        if (firstDelayMillis == 0 || address == null) {
            return 0;
        }
        if (failures.size() >= MAX_ADDRESSES) {
            failures.values().removeIf(f -> forgotten(f, now));
        }
        Failures f = failures.merge(address, new Failures(1, now), (old, one) -> forgotten(old, now)
                ? one : new Failures(old.count() + 1, now));
        return delay(f.count());
    }

    int trackedAddresses() {
        return failures.size();
    }

    private Failures current(InetAddress address, long now) {
        if (address == null || failures.isEmpty()) {
            return null;
        }
        Failures f = failures.get(address);
        if (f != null && forgotten(f, now)) {
            failures.remove(address, f);
            return null;
        }
        return f;
    }

    private long delay(int count) {
        return Math.min(maxDelayMillis, firstDelayMillis << Math.min(count - 1, MAX_DOUBLINGS));
    }

    private boolean forgotten(Failures f, long now) {
        return now - f.lastFailureMillis() > 2 * maxDelayMillis;
    }
}
