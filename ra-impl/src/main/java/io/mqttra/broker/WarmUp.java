package io.mqttra.broker;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
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
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Before a broker opens its listeners, drives a throwaway broker on a loopback port through what a
 * device fleet does first: CONNECT (MQTT 3.1.1 and 5.0), SUBSCRIBE, PUBLISH at QoS 0 and 1, PUBACK,
 * DISCONNECT, {@code n} clients of it, and waits for the JIT to finish compiling what that ran.
 *
 * <p>Why: in a fresh JVM the first thousands of CONNECTs run interpreted while the JIT compiles them on
 * the same cores; the bench measured a fresh engine at 0.44× Mosquitto's connect rate and 2.9× its own
 * warm CPU per connection, with the compiler threads using as much CPU as the I/O threads. Those first
 * thousands are a fleet reconnecting after the server restarted. Compiled code is shared by every broker
 * in the JVM, so the throwaway broker's state (sessions, counters, topics, the grid) never touches the
 * real one's, and nothing of it is left once the listeners open. For the same reason it runs once per
 * class loader: a broker started again in it (an adapter restarted with new properties, a test's next
 * broker) meets code that is still compiled, while a redeployed adapter has new classes to compile.
 */
final class WarmUp {

    private static final Logger LOG = Logger.getLogger(WarmUp.class.getName());
    private static final int IN_FLIGHT = 64;
    private static final long MAX_MILLIS = 20_000;
    /** The JIT is taken to be done once it compiled nothing for this long. */
    private static final long COMPILER_QUIET_MILLIS = 300;
    private static final long MAX_COMPILER_WAIT_MILLIS = 5_000;

    private static final AtomicBoolean DONE = new AtomicBoolean();

    private WarmUp() {
    }

    /** {@link #run} unless a broker of these classes has been warmed up already. */
    static void once(int connections) {
        if (DONE.compareAndSet(false, true)) {
            run(connections);
        }
    }

    /**
     * Runs {@code connections} clients through a throwaway broker; never fails the real broker's start.
     *
     * @return how many finished their exchange
     */
    static int run(int connections) {
        long start = System.nanoTime();
        MqttBroker scratch = new MqttBroker(BrokerConfig.builder().tcp("127.0.0.1", 0).sysIntervalSeconds(0)
                .maxConnectionsPerSecondPerAddress(0).maxTrackedTopics(0).build()).unannounced();
        EventLoopGroup clients = new NioEventLoopGroup(1, new DefaultThreadFactory("mqtt-ra-warm-up", true));
        int done = 0;
        try {
            scratch.start();
            done = drive(scratch.localAddress(), clients, connections);
        } catch (BrokerStartException | RuntimeException e) {
            LOG.info("MQTT-RA warm-up skipped (" + e + "); the first connections meet a cold JVM");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            scratch.stop();
        }
        long driven = System.nanoTime();
        long compilerWait = awaitCompiler();
        LOG.info(String.format("MQTT-RA warm-up: %d of %d clients connected, subscribed and published in %d ms; "
                + "the JIT was done %d ms later", done, connections, TimeUnit.NANOSECONDS.toMillis(driven - start), compilerWait));
        return done;
    }

    /** The clients, {@value #IN_FLIGHT} at a time; how many finished their exchange within {@value #MAX_MILLIS} ms. */
    private static int drive(InetSocketAddress broker, EventLoopGroup group, int connections) throws InterruptedException {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        AtomicInteger finished = new AtomicInteger();
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_MILLIS);
        for (int i = 0; i < connections; i++) {
            if (!inFlight.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                break;
            }
            Client client = new Client(i, finished, inFlight);
            bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(MqttEncoder.INSTANCE, new MqttDecoder(), client);
                }
            }).connect(broker).addListener(f -> {
                if (!f.isSuccess()) {
                    inFlight.release();
                }
            });
        }
        // the last ones finish (or the deadline passes) before the broker goes
        inFlight.tryAcquire(IN_FLIGHT, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        return finished.get();
    }

    /** Waits until the JIT has compiled nothing for a while; the milliseconds waited. */
    private static long awaitCompiler() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return 0;
        }
        long start = System.nanoTime();
        long last = jit.getTotalCompilationTime();
        long quietSince = start;
        while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(MAX_COMPILER_WAIT_MILLIS)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = jit.getTotalCompilationTime();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince >= TimeUnit.MILLISECONDS.toNanos(COMPILER_QUIET_MILLIS)) {
                break;
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /**
     * One client: CONNECT, SUBSCRIBE to a topic of its own at QoS 1, a QoS 0 and a QoS 1 PUBLISH to it,
     * both received back (the second acknowledged), DISCONNECT. Odd clients speak MQTT 5.
     */
    private static final class Client extends SimpleChannelInboundHandler<MqttMessage> {

        private final int index;
        private final AtomicInteger finished;
        private final Semaphore inFlight;
        private final String topic;
        private int received;
        private boolean released;

        Client(int index, AtomicInteger finished, Semaphore inFlight) {
            this.index = index;
            this.finished = finished;
            this.inFlight = inFlight;
            this.topic = "warm-up/" + index;
        }

        /** Its place among the clients in flight goes to the next, once, however its exchange ended. */
        private void release() {
            if (!released) {
                released = true;
                inFlight.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            release();
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            MqttVersion version = index % 2 == 0 ? MqttVersion.MQTT_3_1_1 : MqttVersion.MQTT_5;
            ctx.writeAndFlush(MqttMessageBuilders.connect().protocolVersion(version).clientId("warm-up-" + index)
                    .cleanSession(true).keepAlive(60).build());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
            MqttMessageType type = msg.fixedHeader().messageType();
            if (type == MqttMessageType.CONNACK) {
                ctx.writeAndFlush(MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.AT_LEAST_ONCE, topic).build());
            } else if (type == MqttMessageType.SUBACK) {
                ctx.write(publish(MqttQoS.AT_MOST_ONCE, 0));
                ctx.writeAndFlush(publish(MqttQoS.AT_LEAST_ONCE, 2));
            } else if (type == MqttMessageType.PUBLISH) {
                MqttPublishMessage p = (MqttPublishMessage) msg;
                if (p.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                    ctx.write(MqttMessageBuilders.pubAck().packetId(p.variableHeader().packetId()).build());
                }
                if (++received == 2) {
                    ctx.writeAndFlush(MqttMessageBuilders.disconnect().build()).addListener(f -> ctx.close());
                    finished.incrementAndGet();
                    release();
                } else {
                    ctx.flush();
                }
            }
        }

        private MqttPublishMessage publish(MqttQoS qos, int packetId) {
            return MqttMessageBuilders.publish().topicName(topic).qos(qos).messageId(packetId)
                    .payload(Unpooled.wrappedBuffer(new byte[64])).build();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // the warm-up goes on with the others; the deadline ends it if too many fail
        }
    }
}
