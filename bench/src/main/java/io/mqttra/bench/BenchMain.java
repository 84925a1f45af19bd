package io.mqttra.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Runs the chosen scenarios against the chosen brokers, one broker at a time on this machine (latency:
 * every broker at once, taking turns), and
 * writes every figure as JSON lines, a Markdown table with each figure's ratio to Mosquitto measured
 * in the same run, and a PNG chart of the ratios.
 * Usage: {@code BenchMain engine,mosquitto fanin,fanout,latency,connections,storm,reconnect out-dir}. The brokers that
 * check logins ({@code engine-auth}, {@code wildfly-auth}, {@code mosquitto-auth}) are measured in
 * {@code connections} only, and each is also compared with the same broker letting clients in without
 * credentials, when that one is in the run.
 * System properties: {@code bench.scale} (default 1) multiplies every message and connection count,
 * for a short smoke run; {@code bench.connections} (default 50000) idle connections; {@code bench.repeats}
 * (default 3) runs of each fan-in, fan-out, latency, mdb and storm measurement, of which the median is
 * reported (latency: percentiles over the messages of all runs together); {@code bench.stormMaxSeconds}
 * (default 300) how long a storm may last before what it did so far is reported. {@code soak} runs mixed
 * load for {@code bench.soak.minutes} and fails the run when the broker does not end where it began ({@link Soak}).
 * {@code reconnect} ({@link ReconnectStorm}) restarts the broker, and measures only those that keep sessions
 * across a restart ({@link BrokerUnderTest#keepsSessions}): {@code engine-grid-disk}, {@code wildfly},
 * {@code mosquitto-persist}.
 */
public final class BenchMain {

    private static final long FILE_DESCRIPTORS = 300_000;

    /** Each broker process gets a port of its own, so one that is slow to let go of its port is no matter. */
    private static int nextPort = 18_830;

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (relaunchedWithMoreFileDescriptors(args)) {
            return;
        }
        List<String> brokers = List.of(args[0].split(","));
        List<String> scenarios = List.of(args[1].split(","));
        Path out = Path.of(args[2]);
        double scale = Double.parseDouble(System.getProperty("bench.scale", "1"));
        int connections = (int) (Integer.getInteger("bench.connections", 50_000) * scale);
        Files.createDirectories(out);
        // figures by scenario, so the table keeps the order asked for whatever order they were measured in
        Map<String, List<Scenarios.Result>> byScenario = new LinkedHashMap<>();
        scenarios.forEach(sc -> byScenario.put(sc.trim(), new ArrayList<>()));
        List<String> soakProblems = new ArrayList<>();
        boolean generatorWarm = false;
        boolean connectorWarm = false;
        boolean reconnectorWarm = false;
        for (String name : brokers) {
            List<String> load = byScenario.keySet().stream()
                    .filter(sc -> !sc.equals("connections") && !sc.equals("latency") && !sc.equals("soak")
                            && !sc.equals("reconnect")).toList();
            if (BrokerUnderTest.checksLogins(name.trim()) && (!load.isEmpty() || byScenario.containsKey("latency"))) {
                // the load and latency clients send no password; what a login costs shows in the connect rate
                System.out.println("== " + name.trim() + ": connections only, the other scenarios' clients have no password");
            } else if (!load.isEmpty()) {
                try (BrokerUnderTest broker = BrokerUnderTest.start(name.trim(), nextPort++, out);
                     JmxScraper scraper = BrokerUnderTest.isScraped(broker.name) ? JmxScraper.start(broker) : null) {
                    System.out.println("== " + broker.name + " on port " + broker.port);
                    if (!generatorWarm) {
                        // this load generator's own JIT, on whichever broker comes first: without this pass
                        // the first broker measured at less than half the fan-in rate it showed when second
                        System.out.println("   one unmeasured pass: the load generator's warm-up (latency warms up on its own)");
                        // a full pass of every scenario: the broker's warm-up as well
                        for (String scenario : load) {
                            if (scenario.equals("storm")) {
                                warmUp(broker, scenario, scale); // a full storm pass is a measurement's length
                            } else {
                                run(broker, scenario, scale, 1);
                            }
                        }
                    }
                    for (String scenario : load) {
                        if (generatorWarm) {
                            warmUp(broker, scenario, scale);
                        }
                        byScenario.get(scenario).addAll(run(broker, scenario, scale, REPEATS));
                    }
                    generatorWarm = true;
                    if (scraper != null) {
                        scraper.reportIdleCost(20);
                    }
                }
            }
            if (byScenario.containsKey("soak") && !BrokerUnderTest.checksLogins(name.trim())) {
                // a process of its own: the soak compares it idle before and after
                try (BrokerUnderTest broker = BrokerUnderTest.start(name.trim(), nextPort++, out)) {
                    System.out.println("== " + broker.name + " on port " + broker.port + ": soak");
                    Soak.Outcome soak = Soak.run(broker, out);
                    byScenario.get("soak").addAll(soak.results());
                    soak.problems().forEach(p -> soakProblems.add(broker.name + ": " + p));
                }
            }
            if (byScenario.containsKey("reconnect") && !BrokerUnderTest.keepsSessions(name.trim())) {
                System.out.println("== " + name.trim() + ": reconnect skipped, it keeps no persistent sessions across a restart"
                        + " (engine-grid-disk, wildfly and mosquitto-persist do)");
            } else if (byScenario.containsKey("reconnect")) {
                // a process of its own: the restart would leave the other scenarios' JMX scraper reading a dead one
                try (BrokerUnderTest broker = BrokerUnderTest.start(name.trim(), nextPort++, out)) {
                    System.out.println("== " + broker.name + " on port " + broker.port + ": reconnect");
                    if (!reconnectorWarm) {
                        warmUp(broker, "reconnect", scale);
                    }
                    reconnectorWarm = true;
                    byScenario.get("reconnect").addAll(run(broker, "reconnect", scale, REPEATS));
                }
            }
            if (byScenario.containsKey("connections")) {
                // a fresh process: memory freed by earlier scenarios would hide what connections cost
                // native memory tracking tells a JVM broker's direct buffers ("Other") apart from the rest of its RSS
                if (!generatorWarm && !connectorWarm) {
                    try (BrokerUnderTest broker = BrokerUnderTest.start(name.trim(), nextPort++, out)) {
                        System.out.println("== " + broker.name + " on port " + broker.port
                                + ": one unmeasured pass of connections, the load generator's warm-up");
                        IdleConnections.warmUpGenerator(broker, connections);
                    }
                }
                connectorWarm = true;
                try (BrokerUnderTest broker = BrokerUnderTest.start(name.trim(), nextPort++, out,
                        List.of("-XX:NativeMemoryTracking=summary"))) {
                    System.out.println("== " + broker.name + " (fresh) on port " + broker.port);
                    IdleConnections.run(broker, connections).forEach(r -> byScenario.get("connections").add(report(r)));
                }
            }
        }
        Exception latencyFailure = null;
        if (byScenario.containsKey("latency")) {
            try {
                byScenario.get("latency").addAll(latencyTakingTurns(
                        brokers.stream().filter(b -> !BrokerUnderTest.checksLogins(b.trim())).toList(), out, scale));
            } catch (Exception e) {
                // it comes last: what the other scenarios measured is written all the same
                latencyFailure = e;
            }
        }
        List<Scenarios.Result> results = new ArrayList<>();
        byScenario.values().forEach(results::addAll);
        write(results, brokers, out);
        if (latencyFailure != null) {
            throw latencyFailure;
        }
        if (!soakProblems.isEmpty()) {
            throw new IllegalStateException("soak failed:\n" + String.join("\n", soakProblems));
        }
    }

    private static List<Scenarios.Result> run(BrokerUnderTest broker, String scenario, double scale, int repeats)
            throws Exception {
        List<Scenarios.Result> results = new ArrayList<>();
        switch (scenario) {
            case "fanin" -> {
                // 0.4-2 s each on the fastest broker: at 0.1-0.4 s, one GC pause or one late JIT
                // compilation decided the figure (runs of the same broker varied 2×). 1 KiB at QoS 0
                // stays under the brokers' 256 MiB client buffer, which a slow subscriber would overflow
                results.add(report(median(repeats, () -> Scenarios.fanIn(broker, 0, 64, 4, scaled(250_000, scale)))));
                results.add(report(median(repeats, () -> Scenarios.fanIn(broker, 0, 1024, 4, scaled(40_000, scale)))));
                results.add(report(median(repeats, () -> Scenarios.fanIn(broker, 1, 64, 4, scaled(100_000, scale)))));
                results.add(report(median(repeats, () -> Scenarios.fanIn(broker, 1, 1024, 4, scaled(40_000, scale)))));
            }
            case "fanout" -> {
                for (int qos : new int[] {0, 1}) {
                    results.add(report(median(repeats, () -> Scenarios.fanOut(broker, qos, 64, 10, scaled(50_000, scale)))));
                }
            }
            case "persistent" -> {
                // what keeping a persistent session's messages in the grid costs: engine-grid and
                // engine-pair against engine in the same run
                results.add(report(median(repeats, () -> Scenarios.fanIn(broker, true, 1, 64, 4, scaled(100_000, scale)))));
            }
            case "mdb" -> results.addAll(medians(repeats, () -> MdbScenario.run(broker, scaled(MDB_PER_PUBLISHER, scale))));
            case "storm" -> results.addAll(medians(repeats, () -> SubscribeStorm.run(broker, scale)));
            case "reconnect" -> results.addAll(medians(repeats, () -> ReconnectStorm.run(broker, scale)));
            default -> throw new IllegalArgumentException("unknown scenario " + scenario
                    + " (fanin, fanout, persistent, latency, connections, mdb, storm, reconnect, soak)");
        }
        return results;
    }

    /**
     * Latency, with every broker running at once, all idle but the one measured, which take turns run by
     * run (engine, wildfly, …, engine, wildfly, …). Measured one broker after another, as the other
     * scenarios are, the same broker's p99 at 10,000 msg/s moved 2-5× between minutes on this shared
     * machine, so each broker's figure depended on when its turn came. The runs are long enough that a
     * broker's first-second hiccups do not decide its p99; the figures are over the messages of all
     * {@code repeats} runs together (see {@link Scenarios#latencyFigures}).
     */
    private static List<Scenarios.Result> latencyTakingTurns(List<String> brokers, Path out, double scale)
            throws Exception {
        List<BrokerUnderTest> running = new ArrayList<>();
        try {
            for (String name : brokers) {
                running.add(BrokerUnderTest.start(name.trim(), nextPort++, out));
            }
            for (BrokerUnderTest broker : running) {
                System.out.println("== " + broker.name + " on port " + broker.port + ": latency warm-up, not measured");
                warmUp(broker, "latency", scale);
            }
            int seconds = Math.max(1, (int) Math.round(15 * scale));
            List<Scenarios.Result> results = new ArrayList<>();
            for (int qos : LATENCY_QOS) {
                for (int rate : new int[] {1000, 10_000}) {
                    Map<String, List<Scenarios.LatencyRun>> runs = new LinkedHashMap<>();
                    for (int i = 0; i < REPEATS; i++) {
                        for (BrokerUnderTest broker : running) {
                            Scenarios.LatencyRun run = Scenarios.latency(broker, qos, rate, seconds);
                            runs.computeIfAbsent(broker.name, b -> new ArrayList<>()).add(run);
                        }
                    }
                    for (List<Scenarios.LatencyRun> r : runs.values()) {
                        System.out.println("  latency@" + rate + " QoS " + qos + " " + r.get(0).broker() + " p99 µs of each run: "
                                + eachRun(r.stream().map(Scenarios.LatencyRun::p99Micros).toList()));
                        Scenarios.latencyFigures(r).forEach(f -> results.add(report(f)));
                    }
                }
            }
            return results;
        } finally {
            for (BrokerUnderTest broker : running) {
                try {
                    broker.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the others are still stopped
                }
            }
        }
    }

    /**
     * A run whose figures are thrown away, so that neither this load generator's JIT nor the broker's
     * is still warming up when a broker is measured. Throughput scenarios get one full-size pass: after
     * a shorter one WildFly's first fan-in runs were still at half its later rate, its two cores busy
     * compiling (the server's own start-up leaves the JIT a long queue).
     */
    private static void warmUp(BrokerUnderTest broker, String scenario, double scale) throws Exception {
        switch (scenario) {
            case "fanin", "fanout", "persistent" -> {
                System.out.println("   warm-up, not measured:");
                run(broker, scenario, scale, 1);
            }
            // JIT compilation on two cores stalls a fresh JVM broker for milliseconds at a time during
            // its first ~50,000 messages (seen in the per-message latencies): measure the steady state
            // WildFly needed ~200,000 messages before its p99 at 10,000 msg/s came down to the engine's
            case "latency" -> Scenarios.latency(broker, 1, 10_000, Math.max(1, (int) Math.round(20 * scale)));
            // the EJB container's interceptors and the bean are compiled as late as the engine's paths
            case "mdb" -> MdbScenario.run(broker, scaled(MDB_PER_PUBLISHER, scale));
            // a tenth of the storm compiles the connect, subscribe and retained paths; the measured pass
            // then meets the retained messages it leaves, the same topics it publishes again
            case "storm" -> {
                System.out.println("   storm warm-up at a tenth of the size, not measured:");
                SubscribeStorm.run(broker, scale / 10);
            }
            // the load generator's alone, on the first broker measured: each restart leaves a broker cold anyway
            case "reconnect" -> {
                System.out.println("   reconnect warm-up of the load generator at a tenth of the size, not measured:");
                ReconnectStorm.run(broker, scale / 10);
            }
            default -> {
            }
        }
    }

    /**
     * Repetitions of each measurement but connections ({@code bench.repeats}, default 3): one run on a
     * shared 2-core machine varies by a third either way, the median of three much less. A run's p99
     * varies 2-3×: latency pools the runs' messages instead (see {@link Scenarios#latencyFigures}).
     */
    private static final int REPEATS = Math.max(1, Integer.getInteger("bench.repeats", 3));
    /** The QoS levels latency is measured at ({@code bench.latencyQos}, default both 0 and 1). */
    private static final int[] LATENCY_QOS = java.util.Arrays.stream(System.getProperty("bench.latencyQos", "0,1").split(","))
            .map(String::trim).mapToInt(Integer::parseInt).toArray();

    private static Scenarios.Result median(int repeats, Callable<Scenarios.Result> measurement) throws Exception {
        List<Scenarios.Result> runs = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            runs.add(measurement.call());
        }
        return median(runs);
    }

    /** Figure by figure, the median over {@code repeats} runs that each measure the same figures in the same order. */
    private static List<Scenarios.Result> medians(int repeats, Callable<List<Scenarios.Result>> measurement) throws Exception {
        List<List<Scenarios.Result>> runs = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            runs.add(measurement.call());
        }
        List<Scenarios.Result> medians = new ArrayList<>();
        for (int figure = 0; figure < runs.get(0).size(); figure++) {
            int f = figure;
            medians.add(report(median(runs.stream().map(r -> r.get(f)).toList())));
        }
        return medians;
    }

    /** The run with the median value, unless one lost messages: that one is reported, so loss is never hidden. */
    private static Scenarios.Result median(List<Scenarios.Result> runs) {
        System.out.println("  " + runs.get(0).scenario() + " " + runs.get(0).broker() + " " + runs.get(0).metric()
                + " runs: " + eachRun(runs.stream().map(Scenarios.Result::value).toList()));
        return runs.stream().filter(r -> r.sent() != r.received()).findFirst().orElseGet(() -> runs.stream()
                .sorted(java.util.Comparator.comparingDouble(Scenarios.Result::value)).toList().get(runs.size() / 2));
    }

    /** One figure per run, for the log: a median or a pooled figure hides how far the runs spread. */
    private static String eachRun(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).collect(java.util.stream.Collectors.joining(", "));
    }

    /** Messages per publisher (of four) in an mdb run: a few seconds for the transacted bean. */
    private static final int MDB_PER_PUBLISHER = 50_000;

    private static int scaled(int count, double scale) {
        return Math.max(100, (int) (count * scale));
    }

    /**
     * Idle connections need a file descriptor each, in the broker and in this load generator; the
     * shell's default (often 1024 or 20000) is too low. Starts this program again under
     * {@code ulimit -n}, which a root shell may raise, and waits for it.
     */
    private static boolean relaunchedWithMoreFileDescriptors(String[] args) throws IOException, InterruptedException {
        if (System.getenv("MQTT_RA_BENCH_CHILD") != null
                || !(ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os)
                || os.getMaxFileDescriptorCount() >= FILE_DESCRIPTORS) {
            return false;
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BenchMain.class.getName());
        command.addAll(List.of(args));
        StringBuilder line = new StringBuilder("ulimit -n " + FILE_DESCRIPTORS + " 2>/dev/null || ulimit -n \"$(ulimit -Hn)\"; exec");
        for (String c : command) {
            line.append(" '").append(c.replace("'", "'\\''")).append('\'');
        }
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", line.toString()).inheritIO();
        pb.environment().put("MQTT_RA_BENCH_CHILD", "1");
        int rc = pb.start().waitFor();
        if (rc != 0) {
            System.exit(rc);
        }
        return true;
    }

    private static Scenarios.Result report(Scenarios.Result r) {
        System.out.printf(Locale.ROOT, "%-14s %-10s qos%d %5dB %-16s %12.1f  (sent %d, received %d)%n", r.scenario(),
                r.broker(), r.qos(), r.payloadBytes(), r.metric(), r.value(), r.sent(), r.received());
        return r;
    }

    /** Lower is better for latency, durations, memory and clients that lost something; higher for rates. */
    static boolean lowerIsBetter(String metric) {
        return metric.contains("µs") || metric.endsWith(" ms") || metric.contains("B/conn") || metric.contains("MiB")
                || metric.startsWith("clients without");
    }

    private static void write(List<Scenarios.Result> results, List<String> brokers, Path out) throws IOException {
        StringBuilder jsonl = new StringBuilder();
        Map<String, Map<String, Scenarios.Result>> rows = new LinkedHashMap<>();
        for (Scenarios.Result r : results) {
            jsonl.append(String.format(Locale.ROOT,
                    "{\"scenario\":\"%s\",\"broker\":\"%s\",\"qos\":%d,\"payloadBytes\":%d,\"metric\":\"%s\",\"value\":%.1f,"
                            + "\"sent\":%d,\"received\":%d}%n",
                    r.scenario(), r.broker(), r.qos(), r.payloadBytes(), r.metric(), r.value(), r.sent(), r.received()));
            rows.computeIfAbsent(rowKey(r), k -> new LinkedHashMap<>()).put(r.broker(), r);
        }
        Files.writeString(out.resolve("results.jsonl"), jsonl);
        List<String> names = brokers.stream().map(String::trim).toList();
        List<Ratio> againstMosquitto = Ratio.againstMosquitto(names);
        List<Ratio> columns = new ArrayList<>(againstMosquitto);
        columns.addAll(Ratio.inServer(names));
        columns.addAll(Ratio.management(names));
        columns.addAll(Ratio.topicStatistics(names));
        columns.addAll(Ratio.warmUp(names));
        columns.addAll(Ratio.logins(names));
        StringBuilder md = new StringBuilder("| scenario | QoS | payload | metric |");
        StringBuilder rule = new StringBuilder("|---|---|---|---|");
        for (String b : names) {
            md.append(' ').append(b).append(" |");
            rule.append("---|");
        }
        for (Ratio ratio : columns) {
            md.append(' ').append(ratio.label()).append(" |");
            rule.append("---|");
        }
        md.append(" loss |\n").append(rule).append("---|\n");
        rows.forEach((key, byBroker) -> {
            md.append("| ").append(key).append(" |");
            for (String b : names) {
                Scenarios.Result r = byBroker.get(b);
                md.append(' ').append(r == null ? "" : String.format(Locale.ROOT, "%.0f", r.value())).append(" |");
            }
            for (Ratio ratio : columns) {
                md.append(' ').append(times(ratio.of(byBroker))).append(" |");
            }
            StringBuilder loss = new StringBuilder();
            byBroker.values().forEach(r -> {
                if (!r.scenario().equals("connections") && r.sent() != r.received()) {
                    loss.append(r.broker()).append(' ').append(r.sent() - r.received()).append(' ');
                }
            });
            md.append(' ').append(loss.length() == 0 ? "0" : loss.toString().trim()).append(" |\n");
        });
        md.append(loginCosts(rows, Ratio.logins(names)));
        md.append(MdbScenario.summary(results));
        Files.writeString(out.resolve("results.md"), md);
        Path chart = RatioChart.write(rows, againstMosquitto, out.resolve("ratios.png"));
        System.out.println("\n" + md + "\nwritten to " + out.toAbsolutePath() + (chart != null ? " (chart " + chart + ")" : ""));
    }

    /**
     * The rows where a broker that checks logins was measured next to itself without them, in a table
     * of their own: the price of a login is these ratios, not the brokers' ratios to Mosquitto.
     */
    private static String loginCosts(Map<String, Map<String, Scenarios.Result>> rows, List<Ratio> logins) {
        if (logins.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%nLogins checked ÷ clients let in without"
                + " credentials, each broker against itself in this run (above 1 is better for rates, below 1 for"
                + " CPU and memory):%n%n| scenario | QoS | payload | metric |"));
        StringBuilder rule = new StringBuilder("|---|---|---|---|");
        for (Ratio ratio : logins) {
            md.append(' ').append(ratio.label()).append(" |");
            rule.append("---|");
        }
        md.append('\n').append(rule).append('\n');
        rows.forEach((key, byBroker) -> {
            if (logins.stream().anyMatch(r -> r.of(byBroker) != null)) {
                md.append("| ").append(key).append(" |");
                logins.forEach(r -> md.append(' ').append(times(r.of(byBroker))).append(" |"));
                md.append('\n');
            }
        });
        return md.toString();
    }

    private static String times(Double ratio) {
        // a broker thousands of times slower than another shows as 0.005×, not 0.00×
        return ratio == null ? "" : String.format(Locale.ROOT, ratio < 0.095 ? "%.3f×" : "%.2f×", ratio);
    }


    static String rowKey(Scenarios.Result r) {
        boolean noQos = r.scenario().equals("connections") || r.scenario().equals("storm") || r.scenario().equals("soak");
        return r.scenario() + " | " + (noQos ? "" : String.valueOf(r.qos())) + " | "
                + (r.payloadBytes() == 0 ? "" : r.payloadBytes() + " B") + " | " + r.metric();
    }
}
