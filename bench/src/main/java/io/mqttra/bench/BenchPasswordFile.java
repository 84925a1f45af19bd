package io.mqttra.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The password file of {@code engine-auth} and {@code mosquitto-auth}: one file with the bench's user,
 * written by {@code mosquitto_passwd} with its default hash (PBKDF2-SHA512 in Mosquitto 2), so that
 * both brokers check the same hash at the same cost.
 */
final class BenchPasswordFile {

    private static final Path MOSQUITTO_PASSWD = Path.of("/usr/bin/mosquitto_passwd");
    /** Written once per run of the bench, then shared by every broker that reads it. */
    private static Path written;

    private BenchPasswordFile() {
    }

    static synchronized Path path(Path workDir) throws IOException, InterruptedException {
        if (written != null) {
            return written;
        }
        if (!Files.isExecutable(MOSQUITTO_PASSWD)) {
            BrokerUnderTest.mosquitto(); // the same Debian package installs it
        }
        Path file = workDir.resolve("passwords");
        Files.deleteIfExists(file);
        Process p = new ProcessBuilder(MOSQUITTO_PASSWD.toString(), "-c", "-b", file.toString(),
                BrokerUnderTest.USER, BrokerUnderTest.PASSWORD).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0 || !Files.isRegularFile(file)) {
            throw new IOException("mosquitto_passwd could not write " + file + ": " + out.trim());
        }
        written = file;
        return file;
    }
}
