package io.mqttra.broker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/** Routing one publish to 1,000 subscribers of its topic (matching, merging and handing each its delivery). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoutingBenchmark {

    private MessageRouter router;
    private PublishedMessage message;

    /** Takes each delivery into a black hole, as a session's queue would take it. */
    record Sink(String subscriberId, Blackhole hole) implements Subscriber {
        @Override
        public void deliver(PublishedMessage message, Delivery delivery) {
            hole.consume(delivery);
        }
    }

    @Setup
    public void build(Blackhole hole) {
        router = new MessageRouter();
        for (int i = 0; i < 1000; i++) {
            router.subscribe(new Sink("s" + i, hole), Subscription.to("fleet/commands").qos(1).build());
        }
        message = new PublishedMessage("fleet/commands", new byte[64], 1, false, "p", null, 0,
                new PublishedMessage.Mqtt5Properties(null, null, null, null, null, List.of(Map.entry("k", "v"))));
    }

    @Benchmark
    public int routeToThousand() {
        return router.route(message).receivers();
    }
}
