package io.mqttra.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The load scenarios. Publishers keep a bounded number of messages in flight (the broker's
 * acknowledgement, or the client's write for QoS 0, frees a slot), so what is measured is the
 * broker's speed, not how deep its queues are.
 */
final class Scenarios {

    /** One measured figure. */
    record Result(String scenario, String broker, int qos, int payloadBytes, String metric, double value, long sent,
                  long received) {
    }

    private static final int WINDOW = 100;
    /** Nothing received for this long ends a run; what is missing then counts as lost. */
    private static final int IDLE_SECONDS = 10;

    private Scenarios() {
    }

    private static Mqtt3AsyncClient connect(int port, String id) throws Exception {
        Mqtt3AsyncClient c = MqttClient.builder().useMqttVersion3().identifier(id)
                .serverHost("127.0.0.1").serverPort(port).buildAsync();
        c.connect().get(10, TimeUnit.SECONDS);
        return c;
    }

    private static void publishAll(Mqtt3AsyncClient c, String topic, int count, int qos, byte[] payload) throws Exception {
        Semaphore window = new Semaphore(WINDOW);
        MqttQos q = MqttQos.fromCode(qos);
        for (int i = 0; i < count; i++) {
            window.acquire();
            c.publishWith().topic(topic).qos(q).payload(payload).send().whenComplete((r, e) -> window.release());
        }
        window.acquire(WINDOW);
    }

    /**
     * When messages are missing, says whether an MQTT-RA broker dropped them on purpose (its
     * {@code $SYS/broker/messages/dropped} count, published every second in the bench) or not.
     */
    private static void reportDrops(BrokerUnderTest broker, long missing) throws Exception {
        if (missing <= 0 || !(broker.name.startsWith("engine") || broker.name.startsWith("wildfly")
                || broker.name.equals(BrokerUnderTest.LIBERTY))) {
            return;
        }
        Thread.sleep(1500);
        Mqtt3AsyncClient c = connect(broker.port, "drop-reader");
        java.util.Map<String, String> values = new java.util.concurrent.ConcurrentHashMap<>();
        c.subscribeWith().topicFilter("$SYS/broker/messages/+").callback(p -> values.put(p.getTopic().toString(),
                new String(p.getPayloadAsBytes(), java.nio.charset.StandardCharsets.UTF_8))).send().get();
        Thread.sleep(500);
        System.out.println("   " + missing + " missing; since it started " + broker.name + " received "
                + values.get("$SYS/broker/messages/received") + ", sent " + values.get("$SYS/broker/messages/sent")
                + " and dropped " + values.get("$SYS/broker/messages/dropped") + " messages");
        c.disconnect().get();
    }

    /** Waits until {@code expected} arrived or nothing arrived for {@link #IDLE_SECONDS}; returns the receive rate per second. */
    private static double awaitRate(LongAdder received, AtomicLong lastReceive, long expected, long startNanos)
            throws InterruptedException {
        long seen = -1;
        long idleSince = System.nanoTime();
        while (received.sum() < expected) {
            long now = received.sum();
            if (now != seen) {
                seen = now;
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince > TimeUnit.SECONDS.toNanos(IDLE_SECONDS)) {
                break;
            }
            Thread.sleep(20);
        }
        double seconds = (lastReceive.get() - startNanos) / 1e9;
        return seconds <= 0 ? 0 : received.sum() / seconds;
    }

    /** P publishers to one wildcard subscriber (on Netty: see {@link NettyClient}). */
    static Result fanIn(BrokerUnderTest broker, int qos, int payloadBytes, int publishers, int perPublisher) throws Exception {
        return fanIn(broker, false, qos, payloadBytes, publishers, perPublisher);
    }

    /**
     * P publishers to one wildcard subscriber; with {@code persistent}, a persistent session (cleanSession
     * 0), whose QoS 1/2 messages a broker with a grid keeps there before it acknowledges them.
     */
    static Result fanIn(BrokerUnderTest broker, boolean persistent, int qos, int payloadBytes, int publishers, int perPublisher)
            throws Exception {
        NettyClient sub = NettyClient.subscriber(broker.subscriberPort, persistent ? "fanin-kept" : "fanin-sub", !persistent,
                "bench/in/#", qos);
        LongAdder received = sub.received;
        AtomicLong last = sub.lastReceive;
        List<Mqtt3AsyncClient> pubs = new ArrayList<>();
        for (int i = 0; i < publishers; i++) {
            pubs.add(connect(broker.port, "fanin-pub-" + i));
        }
        byte[] payload = new byte[payloadBytes];
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < publishers; i++) {
            Mqtt3AsyncClient c = pubs.get(i);
            String topic = "bench/in/" + i;
            Thread t = new Thread(() -> {
                try {
                    publishAll(c, topic, perPublisher, qos, payload);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        long sent = (long) publishers * perPublisher;
        double rate = awaitRate(received, last, sent, start);
        for (Mqtt3AsyncClient c : pubs) {
            c.disconnect().get();
        }
        sub.close();
        if (persistent) {
            // a clean session ends the persistent one: the next run starts with nothing left to resend
            new NettyClient(broker.subscriberPort, "fanin-kept", true, null).close();
        }
        reportDrops(broker, sent - received.sum());
        return new Result(persistent ? "fanin-persistent" : "fanin", broker.name, qos, payloadBytes, "msg/s", rate, sent, received.sum());
    }

    /** One publisher to N subscribers of one topic; counts deliveries. */
    static Result fanOut(BrokerUnderTest broker, int qos, int payloadBytes, int subscribers, int messages) throws Exception {
        LongAdder received = new LongAdder();
        AtomicLong last = new AtomicLong();
        List<Mqtt3AsyncClient> subs = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            Mqtt3AsyncClient s = connect(broker.subscriberPort, "fanout-sub-" + i);
            s.subscribeWith().topicFilter("bench/out").qos(MqttQos.fromCode(qos)).callback(p -> {
                received.increment();
                last.set(System.nanoTime());
            }).send().get();
            subs.add(s);
        }
        Mqtt3AsyncClient pub = connect(broker.port, "fanout-pub");
        long start = System.nanoTime();
        publishAll(pub, "bench/out", messages, qos, new byte[payloadBytes]);
        long expected = (long) subscribers * messages;
        double rate = awaitRate(received, last, expected, start);
        pub.disconnect().get();
        for (Mqtt3AsyncClient s : subs) {
            s.disconnect().get();
        }
        reportDrops(broker, expected - received.sum());
        return new Result("fanout", broker.name, qos, payloadBytes, "deliveries/s", rate, expected, received.sum());
    }

    /**
     * End-to-end latency at a fixed rate, timed from when each message was due to be sent, so a stall
     * of the broker shows in every message it delays (no coordinated omission).
     */
    static LatencyRun latency(BrokerUnderTest broker, int qos, int ratePerSecond, int seconds) throws Exception {
        int count = ratePerSecond * seconds;
        // the run's first and last seconds are sent at the same rate and not measured: per-message
        // latencies showed the first seconds of every run slow for whichever broker came first (this
        // load generator's own warm-up at a new rate and on new connections), and the last one ragged
        int leadIn = ratePerSecond * 2;
        int total = leadIn + count + ratePerSecond;
        long[] latencies = new long[count];
        long startEpochMs;
        // publisher and subscriber on Netty, not the HiveMQ client: see NettyClient
        try (NettyClient sub = new NettyClient(broker.subscriberPort, "latency-sub", (payload, now) -> {
            int index = payload.getInt(payload.readerIndex()) - leadIn;
            if (index >= 0 && index < count) {
                latencies[index] = now - payload.getLong(payload.readerIndex() + 4);
            }
        }); NettyClient pub = new NettyClient(broker.port, "latency-pub", null)) {
            sub.subscribe("bench/latency", qos);
            long interval = 1_000_000_000L / ratePerSecond;
            long start = System.nanoTime() + 100_000_000L;
            startEpochMs = System.currentTimeMillis() + 100;
            for (int i = 0; i < total; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (pub.unacknowledged.sum() > 60_000) {
                    // packet ids would come round while still in use; what was not received counts as lost
                    System.out.println("   " + broker.name + " stopped acknowledging: 60,000 QoS 1 messages await their PUBACK");
                    break;
                }
                byte[] b = new byte[64];
                ByteBuffer.wrap(b).putInt(0, i).putLong(4, due);
                pub.publish("bench/latency", qos, b);
            }
            long deadline = System.currentTimeMillis() + 5000;
            while (sub.received.sum() < total && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
        }
        // the subscriber's I/O thread has ended (NettyClient.close): every latency it wrote is visible here
        long got = Arrays.stream(latencies).filter(l -> l > 0).count();
        String dump = System.getProperty("bench.latencyDump", "");
        if (!dump.isBlank()) {
            StringBuilder b = new StringBuilder();
            b.append("# start epoch ms ").append(startEpochMs).append(" lead-in ").append(leadIn).append('\n');
            for (long l : latencies) {
                b.append(l / 1000).append('\n');
            }
            java.nio.file.Files.writeString(java.nio.file.Path.of(dump + "-" + broker.name + "-" + ratePerSecond + ".txt"), b);
        }
        return new LatencyRun(broker.name, qos, ratePerSecond, Arrays.stream(latencies).filter(l -> l > 0).toArray(), count, got);
    }

    /** One latency run: the latency of every measured message received, in nanoseconds. */
    record LatencyRun(String broker, int qos, int rate, long[] latencies, long sent, long received) {

        double p99Micros() {
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            return percentileMicros(sorted, 99);
        }
    }

    /**
     * p50, p99, p99.9 and maximum over the messages of all {@code runs} together (the same broker and
     * rate). Not a median of each run's p99: a p99 sits where the messages a stall delayed begin
     * (about 1% of them at 10,000 msg/s here), so one 15 s run's p99 jumped between about 250 µs and
     * 600 µs as that share crossed 1%, for Mosquitto as much as for the others, while p99.9 moved far less.
     * Pooled, the share is counted over all runs.
     */
    static List<Result> latencyFigures(List<LatencyRun> runs) {
        LatencyRun first = runs.get(0);
        long[] pooled = runs.stream().flatMapToLong(r -> Arrays.stream(r.latencies())).sorted().toArray();
        long sent = runs.stream().mapToLong(LatencyRun::sent).sum();
        long received = runs.stream().mapToLong(LatencyRun::received).sum();
        String scenario = "latency@" + first.rate();
        List<Result> results = new ArrayList<>();
        String[] labels = {"p50 µs", "p99 µs", "p99.9 µs", "max µs"};
        double[] percentiles = {50, 99, 99.9, 100};
        for (int i = 0; i < labels.length; i++) {
            results.add(new Result(scenario, first.broker(), first.qos(), 64, labels[i], percentileMicros(pooled, percentiles[i]),
                    sent, received));
        }
        return results;
    }

    /** The nearest-rank percentile; the rank in integers, as 99.9% of 45,000 in doubles is 44,955.00000000001. */
    private static double percentileMicros(long[] sorted, double percentile) {
        if (sorted.length == 0) {
            return 0;
        }
        long hundredthsOfPercent = Math.round(percentile * 100);
        int rank = (int) ((hundredthsOfPercent * sorted.length + 9_999) / 10_000);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)] / 1000.0;
    }
}
