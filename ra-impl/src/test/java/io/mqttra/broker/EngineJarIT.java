package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.testing.Await;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The runnable engine jar as a user starts it ({@code java -jar ...-engine.jar}): it starts, speaks
 * MQTT, reports the build's version in {@code $SYS}, and logs through java.util.logging without the
 * warning SLF4J prints when it has no provider. Runs after {@code package}, against the built jar.
 */
class EngineJarIT {

    private static final Path JAR = Path.of(System.getProperty("engine.jar", "target/engine.jar"));
    private static final String VERSION = System.getProperty("project.version");

    @Test
    void theJarRunsTheBrokerAndReportsItsVersion() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "the engine jar is built: " + JAR);
        int port = freePort();
        Path log = Files.createTempFile("engine", ".log");
        // anonymous clients, allowed to read $SYS by a rule (with rules, the rest is denied)
        Path acl = Files.createTempFile("engine", ".acl");
        Files.writeString(acl, "allow anonymous subscribe $SYS/#\n");
        Process engine = new ProcessBuilder(javaCommand(), "-jar", JAR.toString(), "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--sys-interval", "1", "--allow-anonymous", "--acl-file", acl.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String listening = Await.until(Duration.ofSeconds(30), "the engine's listener up in its log",
                    () -> read(log), text -> text.contains("listener up") || !engine.isAlive());
            assertTrue(engine.isAlive(), "the engine started:\n" + listening);
            try (RawMqttClient client = new RawMqttClient(new InetSocketAddress("127.0.0.1", port))) {
                client.connect("engine-jar-it");
                client.read();
                client.subscribe(1, "$SYS/broker/version", 0);
                client.read();
                RawMqttClient.Publish version = client.readPublish(false);
                assertEquals("MQTT-RA " + VERSION, version.payload(), "$SYS/broker/version");
            }
            assertFalse(listening.contains("SLF4J"), "no SLF4J warning at start:\n" + listening);
            assertTrue(listening.contains("without credentials"), "anonymous access is warned about:\n" + listening);
        } finally {
            engine.destroy();
            engine.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(log);
            Files.deleteIfExists(acl);
        }
    }

    @Test
    void helpListsTheOptionsAndABadOptionIsRefusedNamingIt() throws Exception {
        Process help = new ProcessBuilder(javaCommand(), "-jar", JAR.toString(), "--help").redirectErrorStream(true).start();
        String text = new String(help.getInputStream().readAllBytes());
        assertEquals(0, help.waitFor());
        for (String option : List.of("--listeners", "--port", "--max-packet-size", "--sys-interval", "--password-file",
                "--jaas-config", "--acl-file", "--allow-anonymous", "--max-connection-rate", "--version")) {
            assertTrue(text.contains(option), option + " is documented in --help:\n" + text);
        }
        assertRefused("--port needs a number, not 'many'", "--port", "many");
        assertRefused("--port: port must be between 0 and 65535, not 70000", "--port", "70000", "--allow-anonymous");
        assertRefused("--max-inflight: maxInflightPerClient must be between 1 and 65535, not 0", "--max-inflight", "0",
                "--allow-anonymous");
        assertRefused("--max-connection-rate: maxConnectionsPerSecondPerAddress must be between 0 and 2147483647, not -1",
                "--max-connection-rate", "-1", "--allow-anonymous");
        assertRefused("unknown option --persistence", "--persistence", "true");
        assertRefused("no way to check logins: give --password-file FILE, --jaas-config NAME, or --allow-anonymous",
                "--port", "0");
        assertRefused("--password-file: cannot read /nonexistent/passwords", "--password-file", "/nonexistent/passwords");
    }

    /** A bad command line exits with status 2 and a message naming the option, not a stack trace. */
    private static void assertRefused(String message, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(javaCommand(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process bad = new ProcessBuilder(command).redirectErrorStream(true).start();
        String error = new String(bad.getInputStream().readAllBytes());
        assertEquals(2, bad.waitFor(), error);
        assertTrue(error.contains("mqtt-ra engine: " + message), error);
        assertFalse(error.contains("Exception"), error);
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
