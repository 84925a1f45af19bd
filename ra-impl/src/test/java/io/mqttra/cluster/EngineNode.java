package io.mqttra.cluster;

import io.mqttra.testing.Await;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One broker of a test cluster: the engine ({@code EngineMain}) in a JVM of its own, with an embedded
 * Hazelcast member on 127.0.0.1, so that a test can kill it as a server dies. Its log is kept in
 * {@code target/cluster-logs}.
 */
final class EngineNode implements AutoCloseable {

    private static final Pattern OTHERS = Pattern.compile("(\\d+) other (?:node\\(s\\)|MQTT-RA nodes)|other MQTT-RA nodes (\\d+)");

    final String name;
    final int mqttPort;
    final int gridPort;
    private final Path log;
    private Path dataDirectory;
    /** An external grid's member this node is a client of ({@code --cluster client}); null: embedded. */
    private String clientOf;
    private String clusterName;
    private List<EngineNode> members;
    private Process process;

    private EngineNode(String name, int mqttPort, int gridPort, Path log) {
        this.name = name;
        this.mqttPort = mqttPort;
        this.gridPort = gridPort;
        this.log = log;
    }

    /** Starts {@code count} nodes of one new cluster and waits until each sees all the others. */
    static List<EngineNode> cluster(String testName, int count) throws Exception {
        return cluster(testName, count, null);
    }

    /** The same, each node with a data directory of its own under {@code dataRoot} (null: none). */
    static List<EngineNode> cluster(String testName, int count, Path dataRoot) throws Exception {
        String clusterName = testName + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        List<EngineNode> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(new EngineNode(testName + "-" + (char) ('a' + i), freePort(), freePort(),
                    Path.of("target/cluster-logs/" + testName + "-" + (char) ('a' + i) + ".log")));
        }
        for (EngineNode n : nodes) {
            n.dataDirectory = dataRoot == null ? null : dataRoot.resolve(n.name);
            n.start(clusterName, nodes);
        }
        for (EngineNode n : nodes) {
            n.awaitOthers(count - 1);
        }
        return nodes;
    }

    /** A node alone in its grid that keeps sessions and retained messages in {@code dataDirectory}. */
    static EngineNode alone(String testName, Path dataDirectory) throws Exception {
        EngineNode n = new EngineNode(testName, freePort(), freePort(), Path.of("target/cluster-logs/" + testName + ".log"));
        n.dataDirectory = dataDirectory;
        n.start(testName + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime(), List.of(n));
        return n;
    }

    /**
     * {@code count} nodes that are clients of the external Hazelcast cluster {@code clusterName} at
     * {@code member}, waiting until each sees all the others.
     */
    static List<EngineNode> clientsOf(String testName, int count, String member, String clusterName) throws Exception {
        List<EngineNode> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            EngineNode n = new EngineNode(testName + "-" + (char) ('a' + i), freePort(), 0,
                    Path.of("target/cluster-logs/" + testName + "-" + (char) ('a' + i) + ".log"));
            n.clientOf = member;
            nodes.add(n);
            n.start(clusterName, List.of(n));
        }
        for (EngineNode n : nodes) {
            n.awaitOthers(count - 1);
        }
        return nodes;
    }

    /** Starts the node again after it was killed or closed, with the same ports, grid and data directory. */
    void restart() throws Exception {
        start(clusterName, members);
    }

    /** {@link #restart}, returning as soon as its MQTT port accepts a connection rather than when its log says so. */
    void restartUntilItAccepts() throws Exception {
        launch(clusterName, members);
        Await.until(Duration.ofSeconds(60), name + " to accept on port " + mqttPort + " (log " + log + ")", () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " ended: " + Files.readString(log));
            }
            try (Socket s = new Socket("127.0.0.1", mqttPort)) {
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    /** One more node joining {@code existing}'s cluster. */
    static EngineNode join(String testName, String suffix, List<EngineNode> existing, String clusterName) throws Exception {
        EngineNode n = new EngineNode(testName + "-" + suffix, freePort(), freePort(),
                Path.of("target/cluster-logs/" + testName + "-" + suffix + ".log"));
        n.start(clusterName, existing);
        return n;
    }

    String clusterName() throws IOException {
        return clusterNameOf(process.info().arguments().orElseThrow());
    }

    private static String clusterNameOf(String[] args) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--cluster-name")) {
                return args[i + 1];
            }
        }
        throw new IllegalStateException("no --cluster-name");
    }

    void start(String clusterName, List<EngineNode> members) throws Exception {
        launch(clusterName, members);
        Await.until(Duration.ofSeconds(60), name + " to listen (log " + log + ")", () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " ended: " + Files.readString(log));
            }
            return Files.readString(log).contains("MQTT-RA listener up");
        });
    }

    private void launch(String clusterName, List<EngineNode> members) throws Exception {
        this.clusterName = clusterName;
        this.members = members;
        Files.createDirectories(log.getParent());
        StringBuilder list = new StringBuilder();
        for (EngineNode m : members) {
            if (m != this) {
                list.append(list.length() == 0 ? "" : ",").append("127.0.0.1:").append(m.gridPort);
            }
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "io.mqttra.engine.EngineMain",
                "--port", String.valueOf(mqttPort), "--allow-anonymous", "--max-connection-rate", "0", "--sys-interval", "0",
                // C1 only (TieredStopAtLevel=1), and several engines starting at once on two cores: what
                // these tests measure is the grid, not how compiled the first CONNECTs are
                "--warm-up", "0", "--cluster-name", clusterName));
        // -Dengine.logging=<logging.properties>, to read a failure's story at FINE in target/cluster-logs
        String logging = System.getProperty("engine.logging");
        if (logging != null) {
            command.add(1, "-Djava.util.logging.config.file=" + Path.of(logging).toAbsolutePath());
        }
        if (clientOf != null) {
            command.addAll(List.of("--cluster", "client", "--cluster-members", clientOf));
        } else {
            command.addAll(List.of("--cluster", "embedded", "--cluster-port", String.valueOf(gridPort), "--cluster-members", list.toString()));
        }
        if (dataDirectory != null) {
            command.addAll(List.of("--data-directory", dataDirectory.toString()));
        }
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits until this node's log says it sees {@code others} other nodes. */
    void awaitOthers(int others) throws Exception {
        Await.until(Duration.ofSeconds(60), name + " to see " + others + " other node(s) (log " + log + ")",
                () -> lastOthers() == others);
    }

    private int lastOthers() throws IOException {
        Matcher m = OTHERS.matcher(Files.readString(log));
        int last = -1;
        while (m.find()) {
            last = Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return last;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** As a server that dies: no shutdown hook runs, nothing is said to the others. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
