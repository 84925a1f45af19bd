package io.mqttra.bench;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A broker the benchmark starts in its own process and stops afterwards. {@code engine}, {@code wildfly},
 * {@code artemis} and {@code mosquitto} let clients in without credentials; {@code engine-auth},
 * {@code wildfly-auth} and {@code mosquitto-auth} are the same brokers checking every login (user
 * {@value #USER}), so that what a login costs is their ratio to the anonymous one in the same run.
 * {@code mosquitto-persist} is Mosquitto keeping its sessions on disk, for the scenarios that restart it.
 */
final class BrokerUnderTest implements AutoCloseable {

    /** WildFly with the adapter property {@code managementEnabled=false}: no MXBeans, the baseline of their cost. */
    static final String NO_JMX = "wildfly-nojmx";

    /** The engine with {@code --max-tracked-topics 0}: no topic statistics, the baseline of their cost. */
    static final String NO_TOPICS = "engine-notopics";

    /** The engine with {@code --warm-up 0}: its first clients meet a cold JVM, the baseline of what the warm-up does. */
    static final String COLD = "engine-cold";

    /** {@code wildfly} has a {@link JmxScraper} reading its MXBeans each second while it is measured. */
    static boolean isScraped(String name) {
        return name.equals("wildfly");
    }

    /** The suffix of a broker that checks logins: {@code engine-auth} is {@code engine} with passwords. */
    static final String AUTH = "-auth";
    /** The one user of the brokers that check logins. */
    static final String USER = "bench";
    /** add-user.sh wants a letter, a digit and a symbol in a password. */
    static final String PASSWORD = "bench-Secret1";

    /** The engine with a one-member Hazelcast grid (persistent sessions and retained messages kept in it). */
    static final String GRID = "engine-grid";
    /** {@link #GRID} that also keeps sessions and retained messages on disk (persistence), in a fresh directory. */
    static final String GRID_DISK = "engine-grid-disk";
    /**
     * Two engines in one grid: publishers connect to the first ({@link #port}), subscribers to the second
     * ({@link #subscriberPort}), so every message crosses from one node to the other.
     */
    static final String PAIR = "engine-pair";
    /**
     * Mosquitto with persistence, in a fresh directory: a broker name of its own rather than a switch of
     * the reconnect scenario, since a broker's settings are fixed when it starts and every figure is filed
     * under its broker's name; {@code mosquitto} keeps persistence off for the speed comparisons.
     */
    static final String MOSQUITTO_PERSIST = "mosquitto-persist";

    /**
     * The brokers whose persistent sessions, with their queued messages, outlive a restart ({@link #restart}):
     * the engine only with its grid on disk, the adapter in WildFly with its default {@code persistence=true}.
     */
    static boolean keepsSessions(String name) {
        return name.equals(GRID_DISK) || name.equals(MOSQUITTO_PERSIST) || isWildFly(name) && !checksLogins(name);
    }

    final String name;
    final int port;
    /** Where subscribers connect: {@link #port} but for {@link #PAIR}. */
    final int subscriberPort;
    /** How {@link #process} was started: {@link #restart} starts it again the same way, on the same data. */
    private final ProcessBuilder builder;
    private final Path log;
    private Process process;
    private final Process second;

    private BrokerUnderTest(String name, int port, int subscriberPort, ProcessBuilder builder, Path log, Process process,
                            Process second) {
        this.name = name;
        this.port = port;
        this.subscriberPort = subscriberPort;
        this.builder = builder;
        this.log = log;
        this.process = process;
        this.second = second;
    }

    /** Whether its clients log in with {@link #USER} and {@link #PASSWORD}. */
    boolean checksLogins() {
        return checksLogins(name);
    }

    static boolean checksLogins(String name) {
        return name.endsWith(AUTH);
    }

    /** {@code wildfly}, {@code wildfly-auth} and {@code wildfly-sync}: the adapter in WildFly, one server process. */
    static boolean isWildFly(String name) {
        return name.startsWith("wildfly");
    }

    /** The same adapter in Open Liberty. */
    static final String LIBERTY = "liberty";

    /** Where the mdb scenario's counts are read over HTTP: Liberty's CountServlet, else WildFly's or Artemis's, on 8080. */
    int httpPort() {
        return name.equals(LIBERTY) ? LibertyBroker.HTTP_PORT : 8080;
    }

    /** The broker without its login checks: {@code engine} for {@code engine-auth}. */
    static String anonymous(String name) {
        return checksLogins(name) ? name.substring(0, name.length() - AUTH.length()) : name;
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
            case "engine", "engine-auth" -> jvm(engine(port, name.equals("engine-auth") ? List.of("--password-file",
                    BenchPasswordFile.path(workDir).toString()) : List.of("--allow-anonymous")), jvmOptions);
            case GRID -> jvm(engine(port, gridMember(GRID_PORT, "")), jvmOptions);
            case GRID_DISK -> {
                List<String> options = new java.util.ArrayList<>(gridMember(GRID_PORT, ""));
                options.addAll(List.of("--data-directory", freshDirectory(workDir.resolve("grid-data")).toString()));
                yield jvm(engine(port, options), jvmOptions);
            }
            case PAIR -> jvm(engine(port, gridMember(GRID_PORT, "127.0.0.1:" + (GRID_PORT + 1))), jvmOptions);
            case COLD -> jvm(engine(port, List.of("--allow-anonymous", "--warm-up", "0")), jvmOptions);
            case NO_TOPICS -> jvm(engine(port, List.of("--allow-anonymous", "--max-tracked-topics", "0")), jvmOptions);
            // ActiveMQ Artemis embedded (its MQTT acceptor), in its own JVM with the engine's heap
            case "artemis" -> {
                List<String> c = new java.util.ArrayList<>(List.of(ArtemisMain.class.getName(), String.valueOf(port)));
                for (int a = 1; a <= ADDRESSES; a++) {
                    c.add("127.0.0." + a);
                }
                yield jvm(c, jvmOptions);
            }
            // the same engine deployed in WildFly as the RAR (unpacked by -Pbench,bench-wildfly)
            case "wildfly", "wildfly-auth", "wildfly-sync", NO_JMX -> WildFlyBroker.prepare(port, listeners(port), workDir,
                    checksLogins(name), name.equals("wildfly-sync"), !name.equals(NO_JMX));
            // and in Open Liberty (unpacked by -Pbench,bench-liberty)
            case LIBERTY -> LibertyBroker.prepare(listeners(port));
            case "mosquitto", "mosquitto-auth", MOSQUITTO_PERSIST -> {
                Path conf = workDir.resolve(name + ".conf");
                // persistence off but in mosquitto-persist, queues large enough not to drop: the comparison is about speed
                StringBuilder settings = new StringBuilder();
                for (int a = 1; a <= ADDRESSES; a++) {
                    settings.append("listener ").append(port).append(" 127.0.0.").append(a).append('\n');
                }
                // without per_listener_settings, password_file and allow_anonymous hold for every listener
                settings.append(checksLogins(name)
                        ? "allow_anonymous false\npassword_file " + BenchPasswordFile.path(workDir) + "\n"
                        : "allow_anonymous true\n");
                // no connection limit (max_connections is -1 by default) and no rate limit (Mosquitto has
                // none); its open files are this bench's ulimit -n, which BenchMain raises before any broker starts
                if (name.equals(MOSQUITTO_PERSIST)) {
                    // written at autosave_interval's default (30 min) and when stopped, which restart() does with SIGTERM;
                    // started as root, Mosquitto would run as user mosquitto, who may not write in the work directory
                    settings.append("persistence true\npersistence_location ").append(freshDirectory(workDir.resolve("mosq-data")))
                            .append("/\nuser root\n");
                } else {
                    settings.append("persistence false\n");
                }
                Files.writeString(conf, settings + "max_queued_messages 2000000\nmax_inflight_messages 100\n");
                yield List.of(mosquitto(), "-c", conf.toString());
            }
            default -> throw new IllegalArgumentException("unknown broker " + name
                    + " (engine, wildfly, liberty, artemis, mosquitto; engine-auth, wildfly-auth, mosquitto-auth check logins; wildfly-sync forces store writes to the device; wildfly-nojmx runs without MXBeans; engine-notopics without topic statistics; engine-cold without the warm-up at start; engine-grid has a one-member grid, engine-grid-disk keeps it on disk too; engine-pair is two engines in one grid; mosquitto-persist keeps its sessions on disk)");
        };
        Path log = workDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (isWildFly(name) || name.equals(LIBERTY)) {
            // the server's JVM options, which each start script reads from its own variable
            builder.environment().put(name.equals(LIBERTY) ? "JVM_ARGS" : "JAVA_OPTS", "-Xmx1g -Xms256m"
                    + " -Djava.net.preferIPv4Stack=true " + String.join(" ", jvmOptions) + " " + System.getProperty("bench.brokerJvmArgs", ""));
        }
        Process p = builder.start();
        awaitPort(name, port, p, log);
        if (!name.equals(PAIR)) {
            return new BrokerUnderTest(name, port, port, builder, log, p, null);
        }
        Path log2 = workDir.resolve(name + "-2.log");
        Process q = new ProcessBuilder(jvm(engine(port + 1, gridMember(GRID_PORT + 1, "127.0.0.1:" + GRID_PORT)), jvmOptions))
                .redirectErrorStream(true).redirectOutput(log2.toFile()).start();
        try {
            awaitPort(name + " (second node)", port + 1, q, log2);
            // subscribers on the second node must be routed to from the first: it has to have joined
            long deadline = System.currentTimeMillis() + 60_000;
            while (!Files.readString(log2).contains("other MQTT-RA nodes 1")) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException(name + ": the second node did not see the first within 60 s; see " + log2);
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            p.destroyForcibly();
            q.destroyForcibly();
            throw e;
        }
        return new BrokerUnderTest(name, port, port + 1, builder, log, p, q);
    }

    /** {@code dir}, emptied: a broker's first start meets no sessions of an earlier run (a restart keeps them). */
    private static Path freshDirectory(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        return Files.createDirectories(dir);
    }

    /** The first Hazelcast port of the bench's grids, away from a server's default 5701 on this machine. */
    private static final int GRID_PORT = 5801;

    private static List<String> gridMember(int gridPort, String members) {
        List<String> options = new java.util.ArrayList<>(List.of("--allow-anonymous", "--cluster", "embedded",
                "--cluster-name", "bench-" + GRID_PORT, "--cluster-port", String.valueOf(gridPort)));
        if (!members.isEmpty()) {
            options.addAll(List.of("--cluster-members", members));
        }
        return options;
    }

    private static void awaitPort(String name, int port, Process p, Path log) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    throw new IOException(name + " exited at start; see " + log);
                }
                Thread.sleep(10); // a restart's time is measured up to here
            }
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly); // WildFly's JVM, under its start script
        p.destroyForcibly();
        throw new IOException(name + " did not open port " + port + " within 120 s");
    }

    /** The engine's main class and options, with {@code logins} saying how clients log in. */
    private static List<String> engine(int port, List<String> logins) {
        List<String> c = new java.util.ArrayList<>(List.of("io.mqttra.engine.EngineMain", "--listeners", listeners(port)));
        String warmUp = System.getProperty("bench.engineWarmUp", "").trim();
        if (!warmUp.isEmpty()) {
            c.addAll(List.of("--warm-up", warmUp)); // before the options below: engine-cold's own --warm-up 0 comes later and wins
        }
        c.addAll(logins);
        // queues as large as Mosquitto's below: the comparison is about speed, not about limits
        // and every connection from 127.0.0.1 as fast as it can: no per-address connection rate
        c.addAll(List.of("--max-queued", "2000000", "--max-client-buffer", String.valueOf(256L * 1024 * 1024),
                "--max-connections", "1000000", "--max-client-sessions", "1000000", "--max-connection-rate", "0",
                "--io-threads", System.getProperty("bench.engineIoThreads", "0"),
                "--sys-interval", "1")); // the bench reads $SYS/broker/messages/dropped after each run
        return c;
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
    static String mosquitto() throws IOException, InterruptedException {
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
        return isWildFly(name) ? jvmUnder(process, "jboss-modules")
                : name.equals(LIBERTY) ? jvmUnder(process, "ws-server.jar") : process.pid();
    }

    /** The server's JVM under its start script (its heap is what jcmd measures), or the script's own process if it exec'd it. */
    private static long jvmUnder(Process script, String mainJar) {
        return script.descendants().filter(p -> p.info().commandLine().orElse("").contains(mainJar))
                .findFirst().map(ProcessHandle::pid).orElse(script.pid());
    }

    /** Whether the broker runs in a JVM (its heap can be measured with jcmd). */
    boolean isJvm() {
        return !anonymous(name).startsWith("mosquitto");
    }

    /**
     * Stops the broker as a service manager would, with SIGTERM, waits for it to exit (Mosquitto writes its
     * database then), and starts it again with the same command on the same data, appending to its log.
     * Returns {@link System#nanoTime()} when its port accepted again.
     */
    long restart() throws IOException, InterruptedException {
        if (second != null) {
            throw new IllegalStateException(name + ": restarting one node of two is not measured");
        }
        if (!terminate(process, 120)) {
            throw new IOException(name + " did not exit within 120 s of SIGTERM; see " + log);
        }
        process = builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        awaitPort(name, port, process, log);
        return System.nanoTime();
    }

    /**
     * SIGTERM to {@code p} and what runs under it (WildFly's JVM is a child of its start script: the next
     * broker may be the same server, so this one must be gone, and its deployments released, first);
     * whether all exited within {@code seconds}.
     */
    private static boolean terminate(Process p, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(seconds);
        List<ProcessHandle> children = p.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        p.destroy();
        boolean exited = p.waitFor(seconds, java.util.concurrent.TimeUnit.SECONDS);
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                exited = false;
            }
        }
        return exited;
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : second == null ? List.of(process) : List.of(second, process)) {
            if (!terminate(p, 30)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }
}
