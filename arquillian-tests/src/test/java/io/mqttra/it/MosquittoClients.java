package io.mqttra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code mosquitto_pub}/{@code mosquitto_sub}. {@code .ci/run} installs them; on a developer
 * machine without them the tests that need them are skipped with a note, but never under CI.
 */
final class MosquittoClients {

    private MosquittoClients() {
    }

    static void requireInstalled() {
        boolean installed = new File("/usr/bin/mosquitto_pub").canExecute() && new File("/usr/bin/mosquitto_sub").canExecute();
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError("mosquitto_pub/mosquitto_sub are missing: .ci/run installs Debian's mosquitto-clients");
        }
        assumeTrue(installed, "Debian's mosquitto-clients is not installed (apt-get install mosquitto-clients)");
    }

    /** Runs {@code mosquitto_pub} with the arguments and asserts it succeeded. */
    static void publish(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/mosquitto_pub", "-h", "127.0.0.1", "-p", "1883",
                "-u", TestUsers.DEVICE, "-P", TestUsers.DEVICE_PASSWORD));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mosquitto_pub did not finish within 10 s");
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "mosquitto_pub failed: " + output);
    }

    /** Starts {@code mosquitto_sub} with the arguments; the caller reads its output. */
    static Process subscribe(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", "1883",
                "-u", TestUsers.DEVICE, "-P", TestUsers.DEVICE_PASSWORD));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
