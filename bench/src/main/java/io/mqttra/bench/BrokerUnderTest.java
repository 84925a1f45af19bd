package io.mqttra.bench;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A broker the benchmark starts in its own process and stops afterwards. */
final class BrokerUnderTest implements AutoCloseable {

    final String name;
    final int port;
    private final Process process;

    private BrokerUnderTest(String name, int port, Process process) {
        this.name = name;
        this.port = port;
        this.process = process;
    }

    /**
     * Loopback addresses the broker listens on (127.0.0.1 to .N, one port). One destination address
     * leaves a client about 28,000 ephemeral ports; the connections scenario spreads over all of them.
     */
    static final int ADDRESSES = 6;

    private static String listeners(int port) {
        StringBuilder s = new StringBuilder();
        for (int a = 1; a <= ADDRESSES; a++) {
            s.append(a > 1 ? "," : "").append("tcp://127.0.0.").append(a).append(':').append(port);
        }
        return s.toString();
    }

    static BrokerUnderTest start(String name, int port, Path workDir) throws IOException, InterruptedException {
        return start(name, port, workDir, List.of());
    }

    /** {@code jvmOptions} are added to a JVM broker's command line (ignored for Mosquitto). */
    static BrokerUnderTest start(String name, int port, Path workDir, List<String> jvmOptions)
            throws IOException, InterruptedException {
        List<String> command = switch (name) {
            // the MQTT-RA engine in a plain JVM, from this benchmark's own class path
            case "engine" -> jvm(List.of("io.mqttra.engine.EngineMain",
                    "--listeners", listeners(port), "--allow-anonymous",
                    // queues as large as Mosquitto's below: the comparison is about speed, not about limits
                    "--max-queued", "2000000", "--max-client-buffer", String.valueOf(256L * 1024 * 1024),
                    "--max-connections", "1000000", "--io-threads", System.getProperty("bench.engineIoThreads", "0"),
                    "--sys-interval", "1"), jvmOptions); // the bench reads $SYS/broker/messages/dropped after each run
            // ActiveMQ Artemis embedded (its MQTT acceptor), in its own JVM with the engine's heap
            case "artemis" -> {
                List<String> c = new java.util.ArrayList<>(List.of(ArtemisMain.class.getName(), String.valueOf(port)));
                for (int a = 1; a <= ADDRESSES; a++) {
                    c.add("127.0.0." + a);
                }
                yield jvm(c, jvmOptions);
            }
            // the same engine deployed in WildFly as the RAR (unpacked by -Pbench,bench-wildfly)
            case "wildfly" -> WildFlyBroker.prepare(port, listeners(port), workDir);
            case "mosquitto" -> {
                Path conf = workDir.resolve("mosquitto.conf");
                // persistence off, queues large enough not to drop: the comparison is about speed
                StringBuilder listeners = new StringBuilder();
                for (int a = 1; a <= ADDRESSES; a++) {
                    listeners.append("listener ").append(port).append(" 127.0.0.").append(a).append('\n');
                }
                Files.writeString(conf, listeners + "allow_anonymous true\npersistence false\n"
                        + "max_queued_messages 2000000\nmax_inflight_messages 100\n");
                yield List.of(mosquitto(), "-c", conf.toString());
            }
            default -> throw new IllegalArgumentException("unknown broker " + name + " (engine, wildfly, artemis, mosquitto)");
        };
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(workDir.resolve(name + ".log").toFile());
        if (name.equals("wildfly")) {
            builder.environment().put("JAVA_OPTS", "-Xmx1g -Xms256m -Djava.net.preferIPv4Stack=true "
                    + String.join(" ", jvmOptions) + " " + System.getProperty("bench.brokerJvmArgs", ""));
        }
        Process p = builder.start();
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return new BrokerUnderTest(name, port, p);
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    throw new IOException(name + " exited at start; see " + workDir.resolve(name + ".log"));
                }
                Thread.sleep(100);
            }
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly); // WildFly's JVM, under its start script
        p.destroyForcibly();
        throw new IOException(name + " did not open port " + port + " within 120 s");
    }

    /**
     * A JVM broker from this benchmark's class path, with a 1 GiB heap; {@code -Dbench.brokerJvmArgs}
     * adds options (e.g. a JFR recording for profiling).
     */
    private static List<String> jvm(List<String> mainAndArgs, List<String> jvmOptions) {
        List<String> c = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
        c.addAll(jvmOptions);
        String extra = System.getProperty("bench.brokerJvmArgs", "").trim();
        if (!extra.isEmpty()) {
            c.addAll(List.of(extra.split("\\s+")));
        }
        c.add("-cp");
        c.add(System.getProperty("java.class.path"));
        c.addAll(mainAndArgs);
        return c;
    }

    /** Debian's mosquitto, installed here when missing (as root, non-interactively). */
    private static String mosquitto() throws IOException, InterruptedException {
        Path bin = Path.of("/usr/sbin/mosquitto");
        if (!Files.isExecutable(bin)) {
            System.out.println("installing Debian's mosquitto for the comparison");
            new ProcessBuilder("sh", "-c", "DEBIAN_FRONTEND=noninteractive apt-get install -y -q mosquitto "
                    + "|| (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q mosquitto)")
                    .inheritIO().start().waitFor();
            // the package starts a system-wide broker on 1883; the benchmark uses its own ports
        }
        if (!Files.isExecutable(bin)) {
            throw new IOException("mosquitto is not installed and could not be installed (apt-get install mosquitto)");
        }
        return bin.toString();
    }

    long pid() {
        return name.equals("wildfly") ? WildFlyBroker.serverPid(process) : process.pid();
    }

    /** Whether the broker runs in a JVM (its heap can be measured with jcmd). */
    boolean isJvm() {
        return !name.equals("mosquitto");
    }

    @Override
    public void close() throws InterruptedException {
        // WildFly's JVM is a child of its start script: the next broker may be the same server, so
        // this one must be gone (and its deployments released) first
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                child.destroyForcibly();
            }
        }
    }
}
