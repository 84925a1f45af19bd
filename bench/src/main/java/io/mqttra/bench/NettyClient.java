package io.mqttra.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One MQTT 3.1.1 connection on Netty with nothing in between: it counts (and acknowledges) the PUBLISH
 * packets it receives and sends PUBLISH packets with cycling packet ids. Two scenarios use it instead
 * of the HiveMQ client, for what that client cost:
 * <ul>
 * <li>fan-in's subscriber: the HiveMQ client drops QoS 0 messages it cannot hand to the application
 * fast enough ("QoS 0 publish message dropped."), which made it, not the broker, the limit;</li>
 * <li>latency's publisher and subscriber: at 10,000 msg/s the HiveMQ client's threads took 0.72 of
 * a core against the broker's 0.43 (per-thread {@code /proc/<pid>/task/<tid>/schedstat}) on two
 * shared cores, and the broker's I/O threads were runnable but waiting for a core about 270 ms in
 * every second: the load generator competed with what it measured. On Netty it takes 0.45–0.49 of a
 * core, and the I/O threads wait 119 ms/s.</li>
 * </ul>
 */
final class NettyClient implements AutoCloseable {

    /** What to do with each received PUBLISH, on the client's I/O thread; {@code nanos} is when it was read. */
    interface PublishListener {
        void onPublish(ByteBuf payload, long nanos);
    }

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel channel;
    private final PublishListener listener;
    private volatile CompletableFuture<Void> subscribed;
    private int nextPacketId;
    final LongAdder received = new LongAdder();
    final AtomicLong lastReceive = new AtomicLong();
    /** QoS 1 PUBLISH packets sent and not yet acknowledged by the broker. */
    final LongAdder unacknowledged = new LongAdder();

    NettyClient(int port, String clientId, PublishListener listener) throws Exception {
        this(port, clientId, true, listener);
    }

    /** {@code cleanSession} false: a persistent session, which a broker with a grid keeps there. */
    NettyClient(int port, String clientId, boolean cleanSession, PublishListener listener) throws Exception {
        this.listener = listener;
        CompletableFuture<Void> connected = new CompletableFuture<>();
        try {
            channel = connect(port, connected);
            channel.writeAndFlush(MqttMessageBuilders.connect().clientId(clientId).cleanSession(cleanSession).keepAlive(0)
                    .protocolVersion(MqttVersion.MQTT_3_1_1).build());
            connected.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // its thread is not a daemon: left running, it would keep the bench's JVM from exiting
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    private Channel connect(int port, CompletableFuture<Void> connected) throws InterruptedException {
        return new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new MqttDecoder(1 << 20), MqttEncoder.INSTANCE,
                                new SimpleChannelInboundHandler<MqttMessage>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
                                        if (msg instanceof MqttPublishMessage p) {
                                            received(ctx, p);
                                        } else if (msg.fixedHeader().messageType() == MqttMessageType.PUBACK) {
                                            unacknowledged.decrement();
                                        } else if (msg instanceof MqttConnAckMessage) {
                                            connected.complete(null);
                                        } else if (msg instanceof MqttSubAckMessage) {
                                            subscribed.complete(null);
                                        }
                                    }

                                    @Override
                                    public void channelReadComplete(ChannelHandlerContext ctx) {
                                        ctx.flush();
                                    }
                                });
                    }
                }).connect("127.0.0.1", port).sync().channel();
    }

    /** A client subscribed to {@code filter} that counts what it receives. */
    static NettyClient subscriber(int port, String clientId, String filter, int qos) throws Exception {
        return subscriber(port, clientId, true, filter, qos);
    }

    static NettyClient subscriber(int port, String clientId, boolean cleanSession, String filter, int qos) throws Exception {
        NettyClient c = new NettyClient(port, clientId, cleanSession, null);
        try {
            c.subscribe(filter, qos);
        } catch (Exception e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void received(ChannelHandlerContext ctx, MqttPublishMessage p) {
        long now = System.nanoTime();
        if (listener != null) {
            listener.onPublish(p.payload(), now);
        }
        received.increment();
        lastReceive.set(now);
        if (p.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
            ctx.write(MqttMessageBuilders.pubAck().packetId(p.variableHeader().packetId()).build());
        }
    }

    void subscribe(String filter, int qos) throws Exception {
        subscribed = new CompletableFuture<>();
        channel.writeAndFlush(MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.valueOf(qos), filter)
                .build());
        subscribed.get(10, TimeUnit.SECONDS);
    }

    /**
     * Sends one PUBLISH, from one thread at a time. Packet ids cycle through 1–65535, so at most that
     * many QoS 1 messages may be awaiting their PUBACK ({@link #unacknowledged}; the caller bounds it).
     */
    void publish(String topic, int qos, byte[] payload) {
        publish(topic, qos, false, payload);
    }

    /** {@link #publish(String, int, byte[])} with the RETAIN flag as given. */
    void publish(String topic, int qos, boolean retain, byte[] payload) {
        MqttMessageBuilders.PublishBuilder b = MqttMessageBuilders.publish().topicName(topic)
                .qos(MqttQoS.valueOf(qos)).retained(retain).payload(Unpooled.wrappedBuffer(payload));
        if (qos > 0) {
            nextPacketId = nextPacketId % 65_535 + 1;
            b.messageId(nextPacketId);
            unacknowledged.increment();
        }
        channel.writeAndFlush(b.build());
    }

    /**
     * Returns once fewer than {@code limit} QoS 1 messages await their PUBACK; fails when that takes 60 s,
     * which no broker this bench measures needs for one acknowledgement.
     */
    void awaitUnacknowledgedBelow(long limit) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (unacknowledged.sum() >= limit) {
            if (System.nanoTime() > deadline) {
                throw new IOException("no PUBACK for 60 s (" + unacknowledged.sum() + " awaited)");
            }
            LockSupport.parkNanos(20_000);
        }
    }

    /** Disconnects, and returns once the client's I/O thread has ended, so what it wrote is visible to the caller. */
    @Override
    public void close() throws InterruptedException {
        channel.writeAndFlush(MqttMessage.DISCONNECT).await(5, TimeUnit.SECONDS);
        channel.close().await(5, TimeUnit.SECONDS);
        if (!group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the MQTT client's I/O thread did not end within 10 s");
        }
    }
}
