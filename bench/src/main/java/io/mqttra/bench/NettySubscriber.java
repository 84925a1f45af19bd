package io.mqttra.bench;

import io.netty.bootstrap.Bootstrap;
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
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The fan-in subscriber, on Netty: it counts PUBLISH packets (and acknowledges QoS 1) with nothing in
 * between. The HiveMQ client drops QoS 0 messages it cannot hand to the application fast enough
 * ("QoS 0 publish message dropped."), which made it, not the broker, the limit of a fan-in run.
 */
final class NettySubscriber implements AutoCloseable {

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel channel;
    final LongAdder received = new LongAdder();
    final AtomicLong lastReceive = new AtomicLong();

    NettySubscriber(int port, String clientId, String filter, int qos) throws Exception {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        CompletableFuture<Void> subscribed = new CompletableFuture<>();
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new MqttDecoder(1 << 20), MqttEncoder.INSTANCE,
                                new SimpleChannelInboundHandler<MqttMessage>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
                                        if (msg instanceof MqttPublishMessage p) {
                                            received.increment();
                                            lastReceive.set(System.nanoTime());
                                            if (p.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                                                ctx.write(MqttMessageBuilders.pubAck().packetId(p.variableHeader().packetId())
                                                        .build());
                                            }
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
        channel.writeAndFlush(MqttMessageBuilders.connect().clientId(clientId).cleanSession(true).keepAlive(0)
                .protocolVersion(MqttVersion.MQTT_3_1_1).build());
        connected.get(10, TimeUnit.SECONDS);
        channel.writeAndFlush(MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.valueOf(qos), filter)
                .build());
        subscribed.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        channel.writeAndFlush(MqttMessage.DISCONNECT).await(5, TimeUnit.SECONDS);
        channel.close().await(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }
}
