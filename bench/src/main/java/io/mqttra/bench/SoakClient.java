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
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One MQTT 3.1.1 connection of the soak scenario, on Netty: QoS 0, 1 and 2 in both directions
 * (a QoS 2 message is handed to the listener once, when its PUBLISH first arrives, and its packet id
 * remembered until PUBREL), a will, reading paused and resumed (a slow consumer), and an end with or
 * without DISCONNECT. Many share one event loop group, so the load generator stays small.
 */
final class SoakClient {

    /** A received message, on the client's I/O thread; the payload is released after the call. */
    interface Listener {
        void onPublish(String topic, ByteBuf payload, int qos, boolean retained);
    }

    /** A will: published by the broker when the connection ends without DISCONNECT. */
    record Will(String topic, byte[] payload, int qos) {
    }

    private static final int CONNECT_SECONDS = 10;

    private final Channel channel;
    private final Listener listener;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final Map<Integer, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
    /** QoS 2 packet ids received and not yet released: a PUBLISH sent again with one is not a new message. */
    private final Set<Integer> receivedQos2 = new HashSet<>();
    private final AtomicInteger nextPacketId = new AtomicInteger();

    private SoakClient(EventLoopGroup group, int port, Listener listener) throws InterruptedException {
        this.listener = listener;
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_SECONDS * 1000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new MqttDecoder(1 << 20), MqttEncoder.INSTANCE, new Handler());
                    }
                }).connect("127.0.0.1", port).sync().channel();
        channel.closeFuture().addListener(f -> {
            IOException closed = new IOException("connection closed");
            connected.completeExceptionally(closed);
            pending.values().forEach(p -> p.completeExceptionally(closed));
        });
    }

    /** Connects and waits for CONNACK; a refusal or a timeout throws, with the connection closed. */
    static SoakClient connect(EventLoopGroup group, int port, String clientId, boolean cleanSession, Will will,
                              Listener listener) throws Exception {
        SoakClient c = new SoakClient(group, port, listener);
        MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect().clientId(clientId)
                // no keep-alive: this client sends no PINGREQ, and a subscriber that only reads QoS 0 sends nothing
                .cleanSession(cleanSession).keepAlive(0).protocolVersion(MqttVersion.MQTT_3_1_1);
        if (will != null) {
            connect.willFlag(true).willTopic(will.topic()).willMessage(will.payload()).willQoS(MqttQoS.valueOf(will.qos()));
        }
        c.channel.writeAndFlush(connect.build());
        try {
            c.connected.get(CONNECT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            c.channel.close();
            throw e;
        }
        return c;
    }

    /** Subscribes and waits for SUBACK. */
    void subscribe(String filter, int qos) throws Exception {
        int id = packetId();
        CompletableFuture<Void> acked = expect(id);
        channel.writeAndFlush(MqttMessageBuilders.subscribe().messageId(id).addSubscription(MqttQoS.valueOf(qos), filter).build());
        acked.get(CONNECT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Sends a PUBLISH; the future completes when the broker has taken the message over: at once for
     * QoS 0 (when written), at PUBACK for QoS 1, at PUBCOMP for QoS 2.
     */
    CompletableFuture<Void> publish(String topic, int qos, boolean retain, byte[] payload) {
        MqttMessageBuilders.PublishBuilder b = MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.valueOf(qos))
                .retained(retain).payload(Unpooled.wrappedBuffer(payload));
        if (qos == 0) {
            CompletableFuture<Void> written = new CompletableFuture<>();
            channel.writeAndFlush(b.build()).addListener(f -> {
                if (f.isSuccess()) {
                    written.complete(null);
                } else {
                    written.completeExceptionally(f.cause());
                }
            });
            return written;
        }
        int id = packetId();
        CompletableFuture<Void> done = expect(id);
        channel.writeAndFlush(b.messageId(id).build());
        return done;
    }

    /** A slow consumer stops reading: the broker's socket buffer, then its queue for this client, fill. */
    void pauseReading() {
        channel.config().setAutoRead(false);
    }

    void resumeReading() {
        channel.config().setAutoRead(true);
    }

    /** A normal end: DISCONNECT (the will is discarded), then close. */
    void disconnect() {
        channel.writeAndFlush(MqttMessage.DISCONNECT).addListener(f -> channel.close());
        channel.closeFuture().awaitUninterruptibly(CONNECT_SECONDS, TimeUnit.SECONDS);
    }

    /** The connection is reset without DISCONNECT, as when a device loses power: the broker publishes the will. */
    void drop() {
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        channel.close().awaitUninterruptibly(CONNECT_SECONDS, TimeUnit.SECONDS);
    }

    boolean isOpen() {
        return channel.isActive();
    }

    /** Packet ids 1-65535, cycling; a caller keeps far fewer than that unacknowledged. */
    private int packetId() {
        return nextPacketId.updateAndGet(i -> i % 65_535 + 1);
    }

    private CompletableFuture<Void> expect(int packetId) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        pending.put(packetId, f);
        if (!channel.isActive()) {
            f.completeExceptionally(new IOException("connection closed"));
        }
        return f;
    }

    private void complete(int packetId) {
        CompletableFuture<Void> f = pending.remove(packetId);
        if (f != null) {
            f.complete(null);
        }
    }

    private static MqttMessage ack(MqttMessageType type, int packetId) {
        MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        return new MqttMessage(new MqttFixedHeader(type, false, qos, false, 0), MqttMessageIdVariableHeader.from(packetId));
    }

    private final class Handler extends SimpleChannelInboundHandler<MqttMessage> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
            if (msg instanceof MqttPublishMessage p) {
                received(ctx, p);
            } else if (msg instanceof MqttConnAckMessage ack) {
                MqttConnectReturnCode code = ack.variableHeader().connectReturnCode();
                if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                    connected.complete(null);
                } else {
                    connected.completeExceptionally(new IOException("CONNACK " + code));
                }
            } else if (msg instanceof MqttSubAckMessage s) {
                complete(s.variableHeader().messageId());
            } else if (msg.variableHeader() instanceof MqttMessageIdVariableHeader id) {
                switch (msg.fixedHeader().messageType()) {
                    case PUBACK, PUBCOMP -> complete(id.messageId());
                    case PUBREC -> ctx.write(ack(MqttMessageType.PUBREL, id.messageId()));
                    case PUBREL -> {
                        receivedQos2.remove(id.messageId());
                        ctx.write(ack(MqttMessageType.PUBCOMP, id.messageId()));
                    }
                    default -> {
                    }
                }
            }
        }

        private void received(ChannelHandlerContext ctx, MqttPublishMessage p) {
            int qos = p.fixedHeader().qosLevel().value();
            int id = p.variableHeader().packetId();
            if (qos < 2 || receivedQos2.add(id)) {
                listener.onPublish(p.variableHeader().topicName(), p.payload(), qos, p.fixedHeader().isRetain());
            }
            if (qos == 1) {
                ctx.write(ack(MqttMessageType.PUBACK, id));
            } else if (qos == 2) {
                ctx.write(ack(MqttMessageType.PUBREC, id));
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a reset while dropping, or the broker closing: the close listener fails what is pending
        }
    }
}
