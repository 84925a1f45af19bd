package io.mqttra.it.liberty;

import java.nio.file.Path;

/** Where the liberty execution's test server lives: {@code target/wlp/usr/servers/mqttra} (the pom's liberty profile). */
public final class LibertyServer {

    private LibertyServer() {
    }

    /** {@code ${server.config.dir}}, under the {@code liberty.home} the pom passes to the tests. */
    public static Path dir() {
        return Path.of(System.getProperty("liberty.home"), "usr", "servers", "mqttra");
    }

    public static Path log() {
        return dir().resolve("logs/messages.log");
    }
}
