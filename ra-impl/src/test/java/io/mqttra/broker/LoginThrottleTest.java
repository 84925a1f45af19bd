package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private static final long T0 = 1_000_000;

    private static InetAddress address(int last) throws Exception {
        return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last});
    }

    @Test
    void eachFailureDoublesTheWaitUpTo64TimesTheFirst() throws Exception {
        LoginThrottle throttle = new LoginThrottle(100);
        InetAddress a = address(1);
        long[] expected = {100, 200, 400, 800, 1600, 3200, 6400, 6400};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], throttle.failed(a, T0 + i), "failure " + (i + 1));
        }
    }

    @Test
    void theNextLoginFromTheAddressWaitsWhileOthersDoNot() throws Exception {
        LoginThrottle throttle = new LoginThrottle(100);
        throttle.failed(address(1), T0);
        throttle.failed(address(1), T0);
        assertEquals(200, throttle.waitBeforeCheck(address(1), T0));
        assertEquals(50, throttle.waitBeforeCheck(address(1), T0 + 150));
        assertEquals(0, throttle.waitBeforeCheck(address(1), T0 + 250));
        assertEquals(0, throttle.waitBeforeCheck(address(2), T0), "another address");
    }

    @Test
    void anAddressIsForgivenAfterTwiceTheLongestWait() throws Exception {
        LoginThrottle throttle = new LoginThrottle(100);
        for (int i = 0; i < 5; i++) {
            throttle.failed(address(1), T0);
        }
        assertEquals(100, throttle.failed(address(1), T0 + 2 * 6400 + 1), "counted afresh");
    }

    @Test
    void zeroTurnsItOff() throws Exception {
        LoginThrottle throttle = new LoginThrottle(0);
        assertEquals(0, throttle.failed(address(1), T0));
        assertEquals(0, throttle.waitBeforeCheck(address(1), T0));
        assertEquals(0, throttle.trackedAddresses());
    }
}
