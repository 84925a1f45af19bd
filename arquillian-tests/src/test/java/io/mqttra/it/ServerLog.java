package io.mqttra.it;

import io.mqttra.it.liberty.LibertyServer;
import io.mqttra.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The log of the server the tests run against: WildFly's server.log, Liberty's messages.log. */
final class ServerLog {

    private ServerLog() {
    }

    static Path path() {
        return Deployments.onLiberty()
                ? LibertyServer.log()
                : Path.of(System.getProperty("jboss.home"), "standalone", "log", "server.log");
    }

    static String text() throws Exception {
        return Files.readString(path(), StandardCharsets.UTF_8);
    }

    /** The first line containing {@code text}, waiting for it up to {@code wait}. */
    static String awaitLine(Duration wait, String text) throws Exception {
        return Await.until(wait, "a line in " + path().getFileName() + " containing: " + text,
                () -> Files.readAllLines(path(), StandardCharsets.UTF_8).stream().filter(l -> l.contains(text))
                        .findFirst().orElse(null),
                l -> l != null);
    }
}
