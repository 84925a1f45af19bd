package io.mqttra.broker;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Clients that are not Java libraries: Debian's mosquitto tools and MQTT.js on Node. {@code .ci/run}
 * installs them; on a developer machine without them the tests that need them are skipped with a
 * note, but never under CI (where {@code CI} is set).
 */
final class ExternalClients {

    static final File NODE_PROJECT = new File("src/test/node");

    private ExternalClients() {
    }

    static void require(boolean present, String what) {
        if (!present && System.getenv("CI") != null) {
            throw new AssertionError(what + " is missing: .ci/run installs it");
        }
        assumeTrue(present, what + " is not installed; skipping");
    }

    static void requireMosquittoClients() {
        require(new File("/usr/bin/mosquitto_pub").canExecute() && new File("/usr/bin/mosquitto_rr").canExecute(),
                "Debian's mosquitto-clients (mosquitto_pub, mosquitto_sub, mosquitto_rr)");
    }

    static void requireMqttJs() {
        require(new File(NODE_PROJECT, "node_modules/mqtt").isDirectory() && onPath("node"),
                "Node.js with MQTT.js (npm ci in ra-impl/src/test/node)");
    }

    static void requireBrowser() {
        requireMqttJs();
        require(new File("/usr/bin/chromium").canExecute() && new File(NODE_PROJECT, "node_modules/playwright-core").isDirectory(),
                "Debian's chromium with playwright-core (npm ci in ra-impl/src/test/node)");
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, command).canExecute()) {
                return true;
            }
        }
        return false;
    }

    static Process start(File dir, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(List.of(command)).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir);
        }
        return pb.start();
    }

    /** Runs a command to completion and returns its output; fails on a timeout or a non-zero exit. */
    static String run(File dir, long timeoutSeconds, String... command) throws IOException, InterruptedException {
        Process p = start(dir, command);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited with " + p.exitValue() + ": " + out);
        }
        return out;
    }
}
