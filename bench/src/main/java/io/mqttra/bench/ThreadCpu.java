package io.mqttra.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A broker process's CPU time so far by kind of thread, in user and kernel mode, from
 * {@code /proc/<pid>/task/<tid>/stat}: what a profile of the CPU per connection needs and a Java
 * sampler cannot give (the kernel's share, the JIT's and GC's threads). The difference of two
 * snapshots says where the CPU of what happened between them went. Threads that ended between the
 * snapshots are missed, so the groups may add up to a little less than the process's total.
 */
record ThreadCpu(Map<String, long[]> ticksByGroup) {

    /** The groups, in the order they are reported; a thread belongs to the first whose prefix its name has. */
    static final Map<String, String[]> GROUPS = groups();

    /** Linux's USER_HZ: /proc reports CPU times in hundredths of a second on every platform Linux runs on. */
    private static final double MICROS_PER_TICK = 10_000;

    private static Map<String, String[]> groups() {
        Map<String, String[]> g = new LinkedHashMap<>();
        g.put("I/O threads", new String[] {"mqtt-ra-io"});
        g.put("acceptor", new String[] {"mqtt-ra-accept"});
        g.put("logins", new String[] {"mqtt-ra-login"});
        g.put("JIT", new String[] {"C1 Compiler", "C2 Compiler"});
        g.put("GC", new String[] {"GC Thread", "G1 ", "VM Thread"});
        g.put("other", new String[] {""});
        return g;
    }

    /** The CPU time of {@code pid}'s threads now, or null where there is no {@code /proc}. */
    static ThreadCpu of(long pid) {
        Path tasks = Path.of("/proc", String.valueOf(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return null;
        }
        Map<String, long[]> ticks = new LinkedHashMap<>();
        GROUPS.keySet().forEach(group -> ticks.put(group, new long[2]));
        try (Stream<Path> threads = Files.list(tasks)) {
            threads.forEach(thread -> add(thread, ticks));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ThreadCpu(ticks);
    }

    private static void add(Path thread, Map<String, long[]> ticks) {
        String stat;
        try {
            stat = Files.readString(thread.resolve("stat"), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return; // the thread ended while the directory was read
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // "tid (comm) state ...": the name may hold spaces and parentheses, the fields after its last ')' do not
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String name = stat.substring(open + 1, close);
        String[] fields = stat.substring(close + 2).split(" ");
        long user = Long.parseLong(fields[11]); // utime, field 14 of proc(5)
        long kernel = Long.parseLong(fields[12]); // stime, field 15
        long[] sum = ticks.get(groupOf(name));
        sum[0] += user;
        sum[1] += kernel;
    }

    static String groupOf(String threadName) {
        for (Map.Entry<String, String[]> group : GROUPS.entrySet()) {
            for (String prefix : group.getValue()) {
                if (threadName.startsWith(prefix)) {
                    return group.getKey();
                }
            }
        }
        throw new AssertionError("the last group takes every name");
    }

    /**
     * Per {@code count} things done between {@code before} and this snapshot: microseconds of CPU by
     * group, and in all threads together the user and kernel shares, keyed "user" and "kernel".
     * Groups that used nothing are left out.
     */
    Map<String, Double> microsPerSince(ThreadCpu before, long count) {
        Map<String, Double> per = new LinkedHashMap<>();
        long user = 0;
        long kernel = 0;
        for (Map.Entry<String, long[]> group : ticksByGroup.entrySet()) {
            long[] was = before.ticksByGroup.get(group.getKey());
            long u = group.getValue()[0] - was[0];
            long k = group.getValue()[1] - was[1];
            user += u;
            kernel += k;
            if (u + k > 0) {
                per.put(group.getKey(), (u + k) * MICROS_PER_TICK / count);
            }
        }
        per.put("user", user * MICROS_PER_TICK / count);
        per.put("kernel", kernel * MICROS_PER_TICK / count);
        return per;
    }
}
