package io.mqttra.broker;

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
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the topic statistics (#18) add to routing one publish to its one subscriber: {@code maxTrackedTopics}
 * 0 (off) against 10,000 (the default), in one run, over 4 topics (the fan-in scenario's) and over 10,000
 * distinct ones (every one tracked, the map as large as the default lets it grow), with a payload kept whole
 * (64 B) and one whose first 64 bytes are copied (1 KiB). The cost is the ratio of the two times.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TopicStatisticsBenchmark {

    @Param({"0", "10000"})
    public int maxTrackedTopics;

    @Param({"4", "10000"})
    public int topics;

    @Param({"64", "1024"})
    public int payloadBytes;

    private MessageRouter router;
    private PublishedMessage[] messages;
    private int next;

    @Setup
    public void build(Blackhole hole) {
        router = new MessageRouter(new RetainedMessages(), ClusterBus.NONE, new TopicStatistics(maxTrackedTopics));
        router.subscribe(new RoutingBenchmark.Sink("s", hole), Subscription.to("site/#").qos(0).build());
        // a power of two of messages, cycling through the topics
        messages = new PublishedMessage[16_384];
        byte[] payload = new byte[payloadBytes];
        for (int i = 0; i < messages.length; i++) {
            messages[i] = new PublishedMessage("site/" + (i % topics) + "/temp", payload, 0, false, "p", null, i,
                    PublishedMessage.Mqtt5Properties.NONE);
        }
    }

    @Benchmark
    public int route() {
        return router.route(messages[next++ & (messages.length - 1)]).receivers();
    }
}
