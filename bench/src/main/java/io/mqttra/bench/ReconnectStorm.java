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
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code reconnect} scenario (#20): a fleet of devices with persistent sessions comes back at once
 * after its broker restarted. 10,000 MQTT 3.1.1 clients {@code rc-<i>} (clean session false) each
 * subscribe to {@code rc/<i>} at QoS 1 and disconnect; while they are offline one QoS 1 message is
 * published to each topic; the broker is stopped with SIGTERM and started again on its data
 * ({@link BrokerUnderTest#restart()}); as soon as its port accepts, all clients reconnect, at most
 * {@value #IN_FLIGHT} between their CONNECT and being back: a CONNACK with session present and their
 * queued message received (and acknowledged).
 *
 * <p>Figures: reconnects per second; the time from the port accepting again to the last client back;
 * the restart's time (SIGTERM to the port accepting); and the clients that came back without their
 * session or without their message, which must be none for a broker that keeps sessions (the loss of
 * those rows). {@code bench.scale} scales the clients.
 */
final class ReconnectStorm {

    private static final int IN_FLIGHT = 500;
    private static final int PUBLISH_WINDOW = 1000;

    private ReconnectStorm() {
    }

    static List<Scenarios.Result> run(BrokerUnderTest broker, double scale) throws Exception {
        int clients = Math.max(10, (int) Math.round(10_000 * scale));
        Wave setup = new Wave(broker, clients, false);
        setup.run();
        if (setup.done.sum() < clients) {
            throw new IOException("reconnect: only " + setup.done.sum() + " of " + clients + " clients subscribed and left");
        }
        queueOneEach(broker, clients);
        long stopRequested = System.nanoTime();
        long portOpen = broker.restart();
        Wave back = new Wave(broker, clients, true);
        back.run();
        long accepted = back.connected.sum();
        long withSession = back.sessionPresent.sum();
        long withMessage = back.done.sum();
        System.out.printf(Locale.ROOT, "   reconnect %s: %d clients, restart %.0f ms: %d reconnected, %d with their session,"
                + " %d with their message; %d WITHOUT their session, %d WITHOUT their message, %d refused or failed%n",
                broker.name, clients, (portOpen - stopRequested) / 1e6, accepted, withSession, withMessage,
                accepted - withSession, clients - withMessage, back.failed.sum() - (accepted - withSession));
        double toConnected = (back.lastConnAck.get() - back.start) / 1e9;
        List<Scenarios.Result> results = new ArrayList<>();
        results.add(result(broker, "reconnects/s", toConnected <= 0 ? 0 : accepted / toConnected, clients, accepted));
        results.add(result(broker, "time to all back ms", (back.lastDone.get() - portOpen) / 1e6, clients, withMessage));
        results.add(result(broker, "restart ms", (portOpen - stopRequested) / 1e6, 0, 0));
        results.add(result(broker, "clients without session", accepted - withSession, clients, withSession));
        results.add(result(broker, "clients without message", clients - withMessage, clients, withMessage));
        return results;
    }

    private static Scenarios.Result result(BrokerUnderTest broker, String metric, double value, long sent, long received) {
        return new Scenarios.Result("reconnect", broker.name, 1, 0, metric, value, sent, received);
    }

    /** One QoS 1 message to each client's topic, {@value #PUBLISH_WINDOW} awaiting their PUBACK at most, all acknowledged. */
    private static void queueOneEach(BrokerUnderTest broker, int clients) throws Exception {
        byte[] payload = new byte[16];
        try (NettyClient publisher = new NettyClient(broker.port, "rc-publisher", null)) {
            for (int i = 0; i < clients; i++) {
                publisher.awaitUnacknowledgedBelow(PUBLISH_WINDOW);
                publisher.publish(topic(i), 1, payload);
            }
            publisher.awaitUnacknowledgedBelow(1);
        }
    }

    private static String topic(int client) {
        return "rc/" + client;
    }

    /**
     * Every client connecting once: to subscribe and leave (setup), or to come back after the restart,
     * when each stays connected until the wave ends, as a device would.
     */
    private static final class Wave {

        final LongAdder connected = new LongAdder();
        final LongAdder sessionPresent = new LongAdder();
        /** Setup: subscribed and disconnected. Back: its queued message arrived. */
        final LongAdder done = new LongAdder();
        final LongAdder failed = new LongAdder();
        final AtomicLong lastConnAck = new AtomicLong();
        final AtomicLong lastDone = new AtomicLong();
        final long start = System.nanoTime();
        private final BrokerUnderTest broker;
        private final int clients;
        private final boolean reconnecting;
        private final ClientWave wave = new ClientWave(IN_FLIGHT, done, failed,
                () -> connected.sum() + done.sum() + failed.sum(), Long.MAX_VALUE);

        Wave(BrokerUnderTest broker, int clients, boolean reconnecting) {
            this.broker = broker;
            this.clients = clients;
            this.reconnecting = reconnecting;
            lastConnAck.set(start);
            lastDone.set(start);
        }

        void run() throws InterruptedException {
            try {
                if (!wave.run(broker.port, clients, Client::new)) {
                    System.out.printf(Locale.ROOT, "   reconnect %s: no client progressed for 60 s, %d of %d done%n",
                            broker.name, done.sum(), clients);
                }
            } finally {
                close();
            }
        }

        /**
         * DISCONNECT from the clients still connected; the broker closes their connections, so that their
         * sessions are not in doubt when the next wave comes.
         */
        private void close() throws InterruptedException {
            List<ChannelFuture> closing = wave.channels().stream().filter(Channel::isActive)
                    .map(c -> c.writeAndFlush(MqttMessage.DISCONNECT).channel().closeFuture()).toList();
            for (ChannelFuture f : closing) {
                if (!f.await(10, TimeUnit.SECONDS)) {
                    f.channel().close();
                }
            }
            wave.close();
        }

        /**
         * One client, persistent session: in setup CONNECT, SUBSCRIBE to its topic, DISCONNECT and done when
         * the broker has closed the connection; coming back, CONNECT and done when its message arrived.
         */
        private final class Client extends ClientWave.Client {

            private final int index;
            private boolean subAcked;

            Client(int index) {
                super(wave, "rc-" + index, false);
                this.index = index;
            }

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
                if (msg instanceof MqttConnAckMessage ack) {
                    if (ack.variableHeader().connectReturnCode() != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                        end(ctx, false);
                        return;
                    }
                    connected.increment();
                    lastConnAck.accumulateAndGet(System.nanoTime(), Math::max);
                    if (!reconnecting) {
                        ctx.writeAndFlush(MqttMessageBuilders.subscribe().messageId(1)
                                .addSubscription(MqttQoS.AT_LEAST_ONCE, topic(index)).build());
                    } else if (ack.variableHeader().isSessionPresent()) {
                        sessionPresent.increment();
                    } else {
                        end(ctx, false); // a new, empty session: its subscription and message are gone
                    }
                } else if (msg instanceof MqttSubAckMessage) {
                    subAcked = true;
                    ctx.writeAndFlush(MqttMessage.DISCONNECT); // done when the broker closes the connection
                } else if (msg instanceof MqttPublishMessage p) {
                    ctx.writeAndFlush(MqttMessageBuilders.pubAck().packetId(p.variableHeader().packetId()).build());
                    if (reconnecting && p.variableHeader().topicName().equals(topic(index))) {
                        lastDone.accumulateAndGet(System.nanoTime(), Math::max);
                        end(ctx, true);
                    }
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                end(ctx, !reconnecting && subAcked);
            }
        }
    }
}
