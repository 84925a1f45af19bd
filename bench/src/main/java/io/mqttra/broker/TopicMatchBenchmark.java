package io.mqttra.broker;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One publish matched against 100,000 subscriptions, each of one kind: exact filters
 * ({@code site/17/device/42/temp}), single-level wildcards ({@code site/17/+/42/temp}) or multi-level
 * ones ({@code site/17/device/42/#}). Each topic matches one subscription. Target: under 10 µs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TopicMatchBenchmark {

    static final int SUBSCRIPTIONS = 100_000;
    private static final int SITES = 100;

    @Param({"exact", "plus", "hash"})
    public String kind;

    private SubscriptionTree tree;
    private String[] topics;
    private int next;

    /** A subscriber that is only counted. */
    record Counting(String subscriberId) implements Subscriber {
        @Override
        public void deliver(PublishedMessage message, Delivery delivery) {
        }
    }

    @Setup
    public void build() {
        tree = new SubscriptionTree();
        int perSite = SUBSCRIPTIONS / SITES;
        for (int i = 0; i < SUBSCRIPTIONS; i++) {
            int site = i / perSite;
            int device = i % perSite;
            String filter = switch (kind) {
                case "exact" -> "site/" + site + "/device/" + device + "/temp";
                case "plus" -> "site/" + site + "/+/" + device + "/temp";
                default -> "site/" + site + "/device/" + device + "/#";
            };
            tree.subscribe(new Counting("c" + i), Subscription.to(filter).qos(1).build());
        }
        topics = new String[1024];
        for (int i = 0; i < topics.length; i++) {
            int n = (int) ((i * 2654435761L) % SUBSCRIPTIONS);
            topics[i] = "site/" + (n / perSite) + "/device/" + (n % perSite) + "/temp";
        }
        if (tree.match(topics[0], "p").size() != 1) {
            throw new IllegalStateException("each topic must match exactly one subscription");
        }
    }

    @Benchmark
    public List<SubscriptionTree.Target> match() {
        String topic = topics[next++ & (topics.length - 1)];
        return tree.match(topic, "publisher");
    }
}
