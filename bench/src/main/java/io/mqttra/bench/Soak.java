package io.mqttra.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The {@code soak} scenario: {@link SoakLoad}'s mixed load against one broker process for a long time
 * ({@code bench.soak.minutes}, default 10; {@code bench.soak.rate} messages per second, default 1000),
 * and what the process holds ({@link BrokerProbe}) sampled every {@code bench.soak.sampleSeconds}
 * (default 30). A short warm-up of the same load comes first; the broker is then measured idle (no
 * client connected) before and after the soak, and the two must match within a tolerance: heap after
 * GC, direct buffers, live threads, open files. Writes {@code soak-<broker>.md}, {@code .jsonl} and
 * {@code .svg}; a broker that does not end where it began, or a delivery promise broken, fails the run.
 */
final class Soak {

    /** One sample; {@code loaded}: taken under load, otherwise with no client connected. */
    record Sample(double minutes, String label, boolean loaded, BrokerProbe.Reading reading, long connects,
                  long published) {
    }

    /** The figures for the bench's table, and what went wrong (empty: the soak passed). */
    record Outcome(List<Scenarios.Result> results, List<String> problems) {
    }

    /** Heap growth allowed between the idle samples: 8 MiB, or a tenth of the start's heap if more. */
    private static final long HEAP_TOLERANCE_BYTES = 8L << 20;
    /** Netty's pools keep whole chunks (4 MiB each, one arena per I/O thread): a few may stay. */
    private static final long DIRECT_TOLERANCE_BYTES = 16L << 20;
    /** JMX's own connection threads come and go. */
    private static final long THREAD_TOLERANCE = 2;
    private static final long FILE_TOLERANCE = 2;

    private Soak() {
    }

    static Outcome run(BrokerUnderTest broker, Path out) throws Exception {
        double minutes = Double.parseDouble(System.getProperty("bench.soak.minutes", "10"));
        long sampleMillis = TimeUnit.SECONDS.toMillis(Integer.getInteger("bench.soak.sampleSeconds", 30));
        int rate = Integer.getInteger("bench.soak.rate", 1000);
        long runMillis = (long) (minutes * 60_000);
        // a tenth of the run, at most a minute: the start sample sees compiled code and filled pools
        long warmUpMillis = Math.min(60_000, runMillis / 10);
        long t0 = System.nanoTime();
        List<Sample> samples = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String summary;
        try (BrokerProbe probe = new BrokerProbe(broker)) {
            samples.add(sample(probe, t0, "fresh broker", false, null));
            System.out.printf(Locale.ROOT, "   soak: %.1f s warm-up at %d msg/s%n", warmUpMillis / 1000.0, rate);
            SoakLoad warm = new SoakLoad(broker, rate, "warm-");
            Thread.sleep(warmUpMillis);
            warm.stop();
            problems.addAll(warm.problems());
            settle(probe);
            samples.add(sample(probe, t0, "start: idle after the warm-up", false, null));
            System.out.printf(Locale.ROOT, "   soak: %.1f minutes at %d msg/s, a sample every %d s%n", minutes, rate,
                    sampleMillis / 1000);
            SoakLoad load = new SoakLoad(broker, rate, "soak-");
            long end = System.currentTimeMillis() + runMillis;
            while (System.currentTimeMillis() < end) {
                Thread.sleep(Math.max(1, Math.min(sampleMillis, end - System.currentTimeMillis())));
                Sample s = sample(probe, t0, "", true, load);
                samples.add(s);
                print(s);
            }
            load.stop();
            problems.addAll(load.problems());
            summary = load.summary();
            settle(probe);
            samples.add(sample(probe, t0, "end: idle after the soak", false, null));
        }
        Sample start = samples.stream().filter(s -> s.label().startsWith("start")).findFirst().orElseThrow();
        Sample last = samples.get(samples.size() - 1);
        problems.addAll(drift(start.reading(), last.reading()));
        String title = String.format(Locale.ROOT, "Soak of %s: %.0f min of mixed load at %d msg/s", broker.name, minutes, rate);
        write(broker.name, title, samples, summary, problems, out);
        List<Scenarios.Result> results = new ArrayList<>();
        figure(results, broker, "heap MiB after GC, idle start", start.reading().heapBytes() / 1048576.0);
        figure(results, broker, "heap MiB after GC, idle end", last.reading().heapBytes() / 1048576.0);
        figure(results, broker, "direct MiB, idle start", start.reading().directBytes() / 1048576.0);
        figure(results, broker, "direct MiB, idle end", last.reading().directBytes() / 1048576.0);
        figure(results, broker, "threads, idle start", start.reading().threads());
        figure(results, broker, "threads, idle end", last.reading().threads());
        figure(results, broker, "open files, idle start", start.reading().fileDescriptors());
        figure(results, broker, "open files, idle end", last.reading().fileDescriptors());
        return new Outcome(results, problems);
    }

    private static void figure(List<Scenarios.Result> results, BrokerUnderTest broker, String metric, double value) {
        if (value >= 0) {
            results.add(new Scenarios.Result("soak", broker.name, 0, 0, metric, value, 0, 0));
        }
    }

    private static Sample sample(BrokerProbe probe, long t0, String label, boolean loaded, SoakLoad load)
            throws IOException, InterruptedException {
        BrokerProbe.Reading r = probe.read();
        return new Sample((System.nanoTime() - t0) / 6e10, label, loaded, r, load == null ? 0 : load.connects.sum(),
                load == null ? 0 : load.published[0].sum() + load.published[1].sum() + load.published[2].sum());
    }

    /** Waits until the broker's open files have stopped falling (closed connections released), at most 60 s. */
    private static void settle(BrokerProbe probe) throws Exception {
        Thread.sleep(3000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long files = probe.read().fileDescriptors();
        while (System.nanoTime() < deadline) {
            Thread.sleep(2000);
            long now = probe.read().fileDescriptors();
            if (now >= files) {
                return;
            }
            files = now;
        }
    }

    /** What the idle broker holds after the soak beyond what it held before, past the tolerances. */
    static List<String> drift(BrokerProbe.Reading start, BrokerProbe.Reading end) {
        List<String> problems = new ArrayList<>();
        long heapTolerance = Math.max(HEAP_TOLERANCE_BYTES, start.heapBytes() / 10);
        if (start.heapBytes() >= 0 && end.heapBytes() > start.heapBytes() + heapTolerance) {
            problems.add(String.format(Locale.ROOT, "heap after GC grew from %.1f MiB to %.1f MiB (tolerance %.1f MiB)",
                    start.heapBytes() / 1048576.0, end.heapBytes() / 1048576.0, heapTolerance / 1048576.0));
        }
        if (start.directBytes() >= 0 && end.directBytes() > start.directBytes() + DIRECT_TOLERANCE_BYTES) {
            problems.add(String.format(Locale.ROOT, "direct buffers grew from %.1f MiB to %.1f MiB (tolerance %d MiB)",
                    start.directBytes() / 1048576.0, end.directBytes() / 1048576.0, DIRECT_TOLERANCE_BYTES >> 20));
        }
        if (Math.abs(end.threads() - start.threads()) > THREAD_TOLERANCE) {
            problems.add("live threads went from " + start.threads() + " to " + end.threads() + " (tolerance " + THREAD_TOLERANCE + ")");
        }
        if (end.fileDescriptors() > start.fileDescriptors() + FILE_TOLERANCE) {
            problems.add("open files went from " + start.fileDescriptors() + " to " + end.fileDescriptors()
                    + " (tolerance " + FILE_TOLERANCE + ")");
        }
        return problems;
    }

    private static void print(Sample s) {
        BrokerProbe.Reading r = s.reading();
        System.out.printf(Locale.ROOT, "   %5.1f min  heap %7.1f MiB  direct %6.1f MiB  threads %4d  files %5d  RSS %6.1f MiB"
                        + "  connects %,d  published %,d%n", s.minutes(), r.heapBytes() / 1048576.0, r.directBytes() / 1048576.0,
                r.threads(), r.fileDescriptors(), r.rssBytes() / 1048576.0, s.connects(), s.published());
    }

    private static void write(String broker, String title, List<Sample> samples, String summary, List<String> problems,
                              Path out) throws IOException {
        StringBuilder jsonl = new StringBuilder();
        StringBuilder md = new StringBuilder("### " + title + "\n\n| minute | sample | heap after GC (MiB) | direct (MiB) "
                + "| threads | open files | RSS (MiB) | connects so far | published so far |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Sample s : samples) {
            BrokerProbe.Reading r = s.reading();
            jsonl.append(String.format(Locale.ROOT, "{\"broker\":\"%s\",\"minutes\":%.2f,\"label\":\"%s\",\"loaded\":%b,"
                            + "\"heapBytes\":%d,\"directBytes\":%d,\"threads\":%d,\"fileDescriptors\":%d,\"rssBytes\":%d,"
                            + "\"connects\":%d,\"published\":%d}%n", broker, s.minutes(), s.label(), s.loaded(), r.heapBytes(),
                    r.directBytes(), r.threads(), r.fileDescriptors(), r.rssBytes(), s.connects(), s.published()));
            md.append(String.format(Locale.ROOT, "| %.1f | %s | %s | %s | %d | %d | %.1f | %,d | %,d |%n", s.minutes(),
                    s.loaded() ? "under load" : s.label(), mib(r.heapBytes()), mib(r.directBytes()), r.threads(),
                    r.fileDescriptors(), r.rssBytes() / 1048576.0, s.connects(), s.published()));
        }
        md.append("\n").append(summary).append(".\n\n")
                .append(problems.isEmpty() ? "Verdict: passed, the idle broker ended where it began.\n"
                        : "Verdict: FAILED\n\n- " + String.join("\n- ", problems) + "\n");
        Files.writeString(out.resolve("soak-" + broker + ".jsonl"), jsonl);
        Files.writeString(out.resolve("soak-" + broker + ".md"), md);
        SoakChart.write(title, samples, out.resolve("soak-" + broker + ".svg"));
        System.out.println("\n" + md);
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "–" : String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }
}
