package io.mqttra.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * Many raw MQTT clients on Netty, each on a connection of its own, as a storm of devices: at most
 * {@code inFlight} of them between their connect and their {@link Client#end end}, so that what is measured is
 * how fast the broker serves them, not how deep its accept queue is. Its clients' handlers say when each
 * is done; their connections stay open until the caller closes them.
 */
final class ClientWave implements AutoCloseable {

    /** Clients that progressed not at all for this long end the wave. */
    private static final long NO_PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(60);

    final long start = System.nanoTime();
    private final int inFlight;
    private final Semaphore slots;
    private final LongAdder done;
    private final LongAdder failed;
    private final LongSupplier progress;
    private final long maxNanos;
    private final List<Channel> channels = new ArrayList<>();
    private final EventLoopGroup group = new NioEventLoopGroup(2);
    private final Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
            // a connection this side closes is reset: no TIME_WAIT holding the ports for the next wave
            .option(ChannelOption.SO_LINGER, 0);

    /**
     * {@code done} and {@code failed} count the clients as they {@link Client#end end}, and the connects
     * that failed; {@code progress} is any sum that grows while the clients progress; the wave ends after
     * {@code maxNanos} whatever they do.
     */
    ClientWave(int inFlight, LongAdder done, LongAdder failed, LongSupplier progress, long maxNanos) {
        this.inFlight = inFlight;
        this.slots = new Semaphore(inFlight);
        this.done = done;
        this.failed = failed;
        this.progress = progress;
        this.maxNanos = maxNanos;
    }

    /**
     * Connects clients {@code 0..clients-1} to the broker, each with the handler {@code client} makes for
     * it, once a slot is free, and waits until the last is done. False when the wave ended first.
     */
    boolean run(int port, int clients, IntFunction<ChannelHandler> client) throws InterruptedException {
        for (int i = 0; i < clients; i++) {
            if (!awaitSlots(1)) {
                return false;
            }
            ChannelHandler handler = client.apply(i);
            ChannelFuture f = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE, handler);
                }
            }).connect("127.0.0.1", port);
            f.addListener(c -> {
                if (c.isSuccess()) {
                    synchronized (channels) {
                        channels.add(f.channel());
                    }
                } else {
                    failed.increment();
                    slots.release();
                }
            });
        }
        return awaitSlots(inFlight);
    }

    private boolean awaitSlots(int permits) throws InterruptedException {
        long seen = -1;
        long since = System.nanoTime();
        while (!slots.tryAcquire(permits, 100, TimeUnit.MILLISECONDS)) {
            long now = System.nanoTime();
            if (progress.getAsLong() != seen) {
                seen = progress.getAsLong();
                since = now;
            }
            if (now - since > NO_PROGRESS_NANOS || now - start > maxNanos) {
                return false;
            }
        }
        return true;
    }

    /** The connections opened so far. */
    List<Channel> channels() {
        synchronized (channels) {
            return new ArrayList<>(channels);
        }
    }

    /** Ends the clients' I/O threads; their connections are the caller's to close first. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * One client's handler: an MQTT 3.1.1 CONNECT once connected, then the subclass's exchange; it ends
     * once, done or failed, and a failed client's connection is closed.
     */
    abstract static class Client extends SimpleChannelInboundHandler<MqttMessage> {

        private final ClientWave wave;
        private final String clientId;
        private final boolean cleanSession;
        private boolean ended;

        Client(ClientWave wave, String clientId, boolean cleanSession) {
            this.wave = wave;
            this.clientId = clientId;
            this.cleanSession = cleanSession;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(MqttMessageBuilders.connect().clientId(clientId).cleanSession(cleanSession).keepAlive(0)
                    .protocolVersion(MqttVersion.MQTT_3_1_1).build());
        }

        boolean ended() {
            return ended;
        }

        /** Counts the client, and gives its slot to the next one. */
        void end(ChannelHandlerContext ctx, boolean ok) {
            if (ended) {
                return;
            }
            ended = true;
            (ok ? wave.done : wave.failed).increment();
            wave.slots.release();
            if (!ok) {
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
