package io.mqttra.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Server base directories ({@code -Djboss.server.base.dir}) for the tests that start WildFly servers of
 * their own from the suite's installation: KillNineIT's, and the two of WildFlyClusterIT.
 */
final class ServerBases {

    private ServerBases() {
    }

    /**
     * Whether a test that starts servers of its own runs: only in its own failsafe execution (with
     * {@code -Darquillian.launch=launch}), and there not when {@code -Dit.test}, which the execution passes on
     * as {@code itTestProperty}, names other tests only (the execution runs the class whatever it.test says,
     * since the others need the suite's server).
     */
    static boolean inItsOwnExecution(String launch, String itTestProperty, String testClass) {
        String wanted = System.getProperty(itTestProperty, "");
        return launch.equals(System.getProperty("arquillian.launch"))
                && (wanted.isBlank() || wanted.startsWith("${") || wanted.contains(testClass) || wanted.contains("*"));
    }

    /** A base directory of its own: the configured server's configuration (users included), no data, logs or deployments. */
    static void prepare(Path base) throws IOException {
        deleteTree(base);
        Path configured = Path.of(System.getProperty("jboss.home"), "standalone", "configuration");
        try (Stream<Path> files = Files.walk(configured)) {
            for (Path from : (Iterable<Path>) files.filter(f -> !f.toString().contains("standalone_xml_history"))::iterator) {
                Path to = base.resolve("configuration").resolve(configured.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }
}
