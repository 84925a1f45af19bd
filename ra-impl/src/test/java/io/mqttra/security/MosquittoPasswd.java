package io.mqttra.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Mosquitto's own {@code mosquitto_passwd} (Debian package {@code mosquitto}, which .ci/run installs),
 * so that the tests read files as the real tool writes them. A test skips when it is absent.
 */
final class MosquittoPasswd {

    private MosquittoPasswd() {
    }

    /** Adds the user to the file (creating it), hashed the tool's default way or with {@code -H hashType}. */
    static Path add(Path file, String user, String password, String hashType) throws Exception {
        List<String> command = new ArrayList<>(List.of(binary().toString()));
        if (hashType != null) {
            command.addAll(List.of("-H", hashType));
        }
        if (!Files.exists(file)) {
            command.add("-c");
        }
        command.addAll(List.of("-b", file.toString(), user, password));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, process.waitFor(30, TimeUnit.SECONDS), "mosquitto_passwd did not end");
        assertEquals(0, process.exitValue(), () -> "mosquitto_passwd failed: " + output);
        return file;
    }

    private static Path binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "mosquitto_passwd");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        Assumptions.abort("mosquitto_passwd is not installed (Debian package mosquitto)");
        throw new AssertionError("unreachable");
    }
}
