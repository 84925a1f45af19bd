package io.mqttra.bench;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code storm} scenario: a broker that holds many retained messages
 * ({@code site/0..99/dev/0..999/state}, 100,000) meets a storm of clients that all connect and
 * subscribe at once, as devices do when a site comes back after an outage: 10,000 MQTT 3.1.1 clients,
 * at most {@value #IN_FLIGHT} of them between their CONNECT and the last retained message they wait
 * for, each subscribing (one SUBSCRIBE, QoS 0) to {@value #FILTERS} filters of its own: six exact
 * topics, two with {@code +} and two narrow {@code #}, each matching one retained message. A
 * SUBSCRIBE is answered on the broker's I/O thread, so a broker that scans every retained message per
 * wildcard filter stalls the connects and subscriptions of every client on that thread.
 *
 * <p>Figures: the rate of retained publishes (QoS 1, acknowledged) that fill the store; connects per
 * second during the storm; subscriptions done per second (a client's are done when its SUBACK and its
 * ten retained messages have arrived); the time from the first CONNECT to the last client done; and the
 * 99th percentile of a client's SUBSCRIBE-to-done time. {@code bench.scale} shrinks the retained
 * messages (devices per site) and the clients alike.
 */
final class SubscribeStorm {

    static final int SITES = 100;
    private static final int FILTERS = 10;
    private static final int IN_FLIGHT = 500;
    private static final int PUBLISH_WINDOW = 1000;
    /**
     * A storm still going after this long ends, with what was done reported (and the rest counted as
     * lost): a broker that scans every retained message per wildcard filter needed far longer.
     */
    private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(Integer.getInteger("bench.stormMaxSeconds", 300));

    private SubscribeStorm() {
    }

    static String topic(int site, int device) {
        return "site/" + site + "/dev/" + device + "/state";
    }

    /** Client {@code i}'s filters: a site and ten devices of its own, so that no two filters match the same topic. */
    static String[] filters(int i, int devices) {
        int site = i % SITES;
        int[] d = new int[FILTERS];
        for (int k = 0; k < FILTERS; k++) {
            d[k] = ((i / SITES) * FILTERS + k) % devices;
        }
        String prefix = "site/" + site + "/";
        return new String[] {
            topic(site, d[0]), topic(site, d[1]), topic(site, d[2]), topic(site, d[3]), topic(site, d[4]), topic(site, d[5]),
            prefix + "dev/" + d[6] + "/+", prefix + "+/" + d[7] + "/state",
            prefix + "dev/" + d[8] + "/#", prefix + "dev/" + d[9] + "/#"};
    }

    /** Storms run so far: each storm's client ids are new, so none takes over a session of the one before. */
    private static final AtomicInteger STORMS = new AtomicInteger();

    static List<Scenarios.Result> run(BrokerUnderTest broker, double scale) throws Exception {
        int devices = Math.max(FILTERS, (int) Math.round(1000 * scale));
        int clients = Math.max(FILTERS, (int) Math.round(10_000 * scale));
        int retained = SITES * devices;
        double storesPerSecond = fill(broker, devices);
        Storm storm = new Storm(clients, devices, "storm-" + STORMS.incrementAndGet() + "-");
        try {
            if (!storm.wave.run(broker.port, clients, storm::client)) {
                // reported below: the clients not done count as lost
                System.out.printf(Locale.ROOT, "   storm %s: gave up after %.0f s (%d done)%n", broker.name,
                        (System.nanoTime() - storm.start) / 1e9, storm.done.sum());
            }
        } finally {
            storm.close();
        }
        long connected = storm.connected.sum();
        long done = storm.done.sum();
        double toDone = (storm.lastDone.get() - storm.start) / 1e9;
        double toConnected = (storm.lastConnAck.get() - storm.start) / 1e9;
        long[] durations = Arrays.stream(storm.subscribeNanos).filter(n -> n > 0).sorted().toArray();
        double p99 = durations.length == 0 ? 0 : durations[Math.max(0, (int) Math.ceil(durations.length * 0.99) - 1)] / 1e6;
        System.out.printf(Locale.ROOT, "   storm %s: %d retained, %d clients: %d connected, %d done, %d retained messages"
                + " received of %d, %d refused or failed%n", broker.name, retained, clients, connected, done,
                storm.retainedReceived.sum(), (long) clients * FILTERS, storm.failed.sum());
        long wanted = (long) clients * FILTERS;
        List<Scenarios.Result> results = new ArrayList<>();
        results.add(result(broker, "retained stores/s", storesPerSecond, retained, retained));
        results.add(result(broker, "connects/s", toConnected <= 0 ? 0 : connected / toConnected, clients, connected));
        results.add(result(broker, "subscriptions/s", toDone <= 0 ? 0 : done * FILTERS / toDone, wanted, done * FILTERS));
        results.add(result(broker, "time to done ms", toDone * 1000, wanted, storm.retainedReceived.sum()));
        results.add(result(broker, "subscribe p99 ms", p99, wanted, done * FILTERS));
        return results;
    }

    private static Scenarios.Result result(BrokerUnderTest broker, String metric, double value, long sent, long received) {
        return new Scenarios.Result("storm", broker.name, 0, 0, metric, value, sent, received);
    }

    /**
     * Publishes the retained messages at QoS 1, {@value #PUBLISH_WINDOW} awaiting their PUBACK at most,
     * and returns once all are acknowledged (stored): the rate of those publishes.
     */
    private static double fill(BrokerUnderTest broker, int devices) throws Exception {
        byte[] payload = new byte[16];
        long start = System.nanoTime();
        try (NettyClient publisher = new NettyClient(broker.port, "storm-retainer", null)) {
            for (int site = 0; site < SITES; site++) {
                for (int device = 0; device < devices; device++) {
                    publisher.awaitUnacknowledgedBelow(PUBLISH_WINDOW);
                    publisher.publish(topic(site, device), 1, true, payload);
                }
            }
            publisher.awaitUnacknowledgedBelow(1);
        }
        return SITES * devices / ((System.nanoTime() - start) / 1e9);
    }

    /** One storm of clients, each on its own connection, held open until the storm ends. */
    private static final class Storm {

        final LongAdder connected = new LongAdder();
        final LongAdder done = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder retainedReceived = new LongAdder();
        final AtomicLong lastConnAck = new AtomicLong();
        final AtomicLong lastDone = new AtomicLong();
        /** Each client's time from its SUBSCRIBE to its last retained message (0 until done). */
        final long[] subscribeNanos;
        final long start = System.nanoTime();
        final ClientWave wave = new ClientWave(IN_FLIGHT, done, failed,
                () -> done.sum() + failed.sum() + retainedReceived.sum() + connected.sum(), MAX_NANOS);
        private final int devices;
        private final String idPrefix;

        Storm(int clients, int devices, String idPrefix) {
            this.devices = devices;
            this.idPrefix = idPrefix;
            this.subscribeNanos = new long[clients];
            lastConnAck.set(start);
            lastDone.set(start);
        }

        StormClient client(int index) {
            return new StormClient(index);
        }

        void close() throws InterruptedException {
            wave.channels().stream().map(Channel::close).toList().forEach(ChannelFuture::syncUninterruptibly);
            wave.close();
            Thread.sleep(2000); // the broker notices the closed sockets before what comes next
        }

        /** One client: CONNECT, then one SUBSCRIBE with its filters, then it waits for the retained messages. */
        private final class StormClient extends ClientWave.Client {

            private final int index;
            private long subscribed;
            private boolean subAcked;
            private int received;

            StormClient(int index) {
                super(wave, idPrefix + index, true);
                this.index = index;
            }

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
                if (msg instanceof MqttPublishMessage) {
                    received++;
                    retainedReceived.increment();
                } else if (msg instanceof MqttSubAckMessage) {
                    subAcked = true;
                } else if (msg instanceof MqttConnAckMessage ack) {
                    if (ack.variableHeader().connectReturnCode() != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                        end(ctx, false);
                        return;
                    }
                    long now = System.nanoTime();
                    connected.increment();
                    lastConnAck.accumulateAndGet(now, Math::max);
                    MqttMessageBuilders.SubscribeBuilder subscribe = MqttMessageBuilders.subscribe().messageId(1);
                    for (String filter : filters(index, devices)) {
                        subscribe.addSubscription(MqttQoS.AT_MOST_ONCE, filter);
                    }
                    subscribed = now;
                    ctx.writeAndFlush(subscribe.build());
                }
                if (!ended() && subAcked && received >= FILTERS) {
                    long now = System.nanoTime();
                    subscribeNanos[index] = now - subscribed;
                    lastDone.accumulateAndGet(now, Math::max);
                    end(ctx, true);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                end(ctx, false);
            }
        }
    }
}
