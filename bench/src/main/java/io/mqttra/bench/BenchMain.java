package io.mqttra.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the chosen scenarios against the chosen brokers, one broker at a time on this machine, and
 * writes every figure as JSON lines and a Markdown table with each figure's ratio to Mosquitto
 * measured in the same run. Usage: {@code BenchMain engine,mosquitto fanin,fanout,latency out-dir}.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> brokers = List.of(args[0].split(","));
        List<String> scenarios = List.of(args[1].split(","));
        Path out = Path.of(args[2]);
        Files.createDirectories(out);
        List<Scenarios.Result> results = new ArrayList<>();
        int port = 18_830;
        for (String name : brokers) {
            try (BrokerUnderTest broker = BrokerUnderTest.start(name.trim(), port++, out)) {
                System.out.println("== " + broker.name + " on port " + broker.port);
                for (String scenario : scenarios) {
                    for (int qos : new int[] {0, 1}) {
                        switch (scenario.trim()) {
                            case "fanin" -> {
                                results.add(report(Scenarios.fanIn(broker, qos, 64, 4, 25_000)));
                                results.add(report(Scenarios.fanIn(broker, qos, 1024, 4, 10_000)));
                            }
                            case "fanout" -> results.add(report(Scenarios.fanOut(broker, qos, 64, 10, 10_000)));
                            case "latency" -> {
                                if (qos == 1) {
                                    Scenarios.latency(broker, 1, 1000, 5).forEach(r -> results.add(report(r)));
                                }
                            }
                            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
                        }
                    }
                }
            }
        }
        write(results, out);
    }

    private static Scenarios.Result report(Scenarios.Result r) {
        System.out.printf(Locale.ROOT, "%-14s %-10s qos%d %5dB %-14s %12.1f  (sent %d, received %d)%n", r.scenario(),
                r.broker(), r.qos(), r.payloadBytes(), r.metric(), r.value(), r.sent(), r.received());
        return r;
    }

    private static void write(List<Scenarios.Result> results, Path out) throws IOException {
        StringBuilder jsonl = new StringBuilder();
        Map<String, Map<String, Scenarios.Result>> rows = new LinkedHashMap<>();
        for (Scenarios.Result r : results) {
            jsonl.append(String.format(Locale.ROOT,
                    "{\"scenario\":\"%s\",\"broker\":\"%s\",\"qos\":%d,\"payloadBytes\":%d,\"metric\":\"%s\",\"value\":%.1f,"
                            + "\"sent\":%d,\"received\":%d}%n",
                    r.scenario(), r.broker(), r.qos(), r.payloadBytes(), r.metric(), r.value(), r.sent(), r.received()));
            String key = r.scenario() + " | QoS " + r.qos() + " | " + r.payloadBytes() + " B | " + r.metric();
            rows.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(r.broker(), r);
        }
        Files.writeString(out.resolve("results.jsonl"), jsonl);
        StringBuilder md = new StringBuilder("| scenario | QoS | payload | metric | MQTT-RA engine | Mosquitto | ratio | loss (engine) |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        rows.forEach((key, byBroker) -> {
            Scenarios.Result e = byBroker.get("engine");
            Scenarios.Result m = byBroker.get("mosquitto");
            String ratio = e != null && m != null && m.value() > 0 ? String.format(Locale.ROOT, "%.2f×", e.value() / m.value()) : "";
            String loss = e == null ? "" : String.valueOf(e.sent() - e.received());
            md.append("| ").append(key).append(" | ").append(e == null ? "" : String.format(Locale.ROOT, "%.0f", e.value()))
                    .append(" | ").append(m == null ? "" : String.format(Locale.ROOT, "%.0f", m.value()))
                    .append(" | ").append(ratio).append(" | ").append(loss).append(" |\n");
        });
        Files.writeString(out.resolve("results.md"), md);
        System.out.println("\n" + md + "\nwritten to " + out.toAbsolutePath());
    }
}
