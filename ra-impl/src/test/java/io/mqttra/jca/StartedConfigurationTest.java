package io.mqttra.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A changed property takes effect only when the adapter starts again (WildFly: {@code :reload}), so
 * each start tells the administrator in the log what it runs with and what changed since the start
 * before, without ever showing a password.
 */
class StartedConfigurationTest {

    private static final String PASSWORD = "trust-Secret-1";
    private static final String OTHER_PASSWORD = "trust-Secret-2";

    @TempDir
    Path data;

    /** Starts and stops an adapter set up by {@code settings}; returns the adapter's log lines. */
    private List<String> startAndStop(Consumer<MqttResourceAdapter> settings) throws Exception {
        MqttResourceAdapter ra = new MqttResourceAdapter();
        ra.setAuthentication("anonymous");
        ra.setListeners("tcp://127.0.0.1:0");
        ra.setDataDirectory(data.toString());
        settings.accept(ra);
        List<String> lines = new CopyOnWriteArrayList<>();
        Logger log = Logger.getLogger(MqttResourceAdapter.class.getName());
        log.setFilter(record -> lines.add(record.getMessage())); // sees every record of the adapter's logger, keeps them all
        try {
            ra.start(null);
            ra.stop();
        } finally {
            log.setFilter(null);
        }
        return lines;
    }

    private static String line(List<String> lines, String start) {
        return lines.stream().filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no log line starting with '" + start + "' in " + lines));
    }

    @Test
    void aStartLogsEachPropertyThatDiffersFromItsDefault() throws Exception {
        List<String> lines = startAndStop(ra -> {
            ra.setMaxPacketSize(4096);
            ra.setTrustStorePassword(PASSWORD);
        });
        String configuration = line(lines, "MQTT-RA configuration, where it differs from the defaults: ");
        assertTrue(configuration.contains("maxPacketSize=4096"), configuration);
        assertTrue(configuration.contains("listeners=tcp://127.0.0.1:0") && configuration.contains("authentication=anonymous"),
                configuration);
        assertTrue(configuration.contains("trustStorePassword=(set)"), configuration);
        assertFalse(configuration.contains("maxConnections"), "a property at its default is not listed: " + configuration);
        assertFalse(String.join("\n", lines).contains(PASSWORD), "no password in the log");
        assertFalse(lines.stream().anyMatch(l -> l.contains("since the last start")), "nothing to compare with yet: " + lines);
    }

    @Test
    void aRestartLogsWhichPropertiesChangedSinceTheStartBefore() throws Exception {
        startAndStop(ra -> {
            ra.setMaxPacketSize(4096);
            ra.setTrustStorePassword(PASSWORD);
        });
        List<String> lines = startAndStop(ra -> {
            ra.setMaxPacketSize(2048);
            ra.setTopicAliasMaximum(3);
            ra.setTrustStorePassword(OTHER_PASSWORD);
            ra.setAclRules("allow role:device publish sensors/#");
        });
        assertEquals("MQTT-RA configuration changed since the last start: aclRules: (none) -> allow role:device publish sensors/#; "
                + "maxPacketSize: 4096 -> 2048; topicAliasMaximum: 10 -> 3; trustStorePassword: changed",
                line(lines, "MQTT-RA configuration changed since the last start: "));
        String everything = String.join("\n", lines);
        assertFalse(everything.contains(PASSWORD) || everything.contains(OTHER_PASSWORD), "no password in the log");
    }

    @Test
    void aRestartWithTheSameConfigurationSaysItIsUnchanged() throws Exception {
        startAndStop(ra -> ra.setTrustStorePassword(PASSWORD));
        List<String> lines = startAndStop(ra -> ra.setTrustStorePassword(PASSWORD));
        line(lines, "MQTT-RA configuration unchanged since the last start");
    }

    @Test
    void theKeptConfigurationHoldsNoPassword() throws Exception {
        startAndStop(ra -> ra.setTrustStorePassword(PASSWORD));
        String kept = Files.readString(data.resolve(StartedConfiguration.FILE_NAME));
        assertTrue(kept.contains("maxPacketSize=1048576"), kept);
        assertFalse(kept.contains(PASSWORD), kept);
        List<String> removed = startAndStop(ra -> { });
        line(removed, "MQTT-RA configuration changed since the last start: trustStorePassword: removed");
    }

    @Test
    void withoutPersistenceNothingIsWrittenToDisk() throws Exception {
        List<String> lines = startAndStop(ra -> ra.setPersistence(false));
        line(lines, "MQTT-RA configuration, where it differs from the defaults: ");
        assertFalse(Files.exists(data.resolve(StartedConfiguration.FILE_NAME)));
    }
}
