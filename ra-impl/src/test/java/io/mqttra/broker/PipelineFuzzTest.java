package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.testing.Await;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The fuzz inputs of {@link PacketFuzzTest}, millions of them: each goes through the broker's real
 * pipeline ({@link MqttChannelInitializer}: inspector, decoder, connection handler, sessions, router)
 * on a connection of its own, over Netty's in-process transport instead of a socket, split into one to
 * three reads as TCP may split it. Fails on an exception escaping a connection, a leak report, a
 * broker that stops serving a TCP client, subscriptions or sessions that outlive their expiry, or a
 * heap that grows: the heap after GC is sampled before the first input, after a warm-up (the first
 * 1%) and at ten points in a long run, and must stay and end within {@value #HEAP_TOLERANCE_MIB} MiB of
 * the warm sample. Two event loops serve the connections, so that sessions are also taken over across
 * threads, as in a broker with several I/O threads.
 *
 * <p>The CI run is short ({@code fuzz.inputs}, default 5,000); {@code mvn -Pfuzz} runs 10,000,000
 * (see docs/testing.md). The broker's state is bounded so that a flat heap means no leak: sessions
 * expire a second after their connection ends and at most {@value #MAX_RETAINED} retained messages
 * are kept. A failure names the inputs checked last (every {@value #CHECK_EVERY}); {@code fuzz.from}
 * replays only those.
 */
class PipelineFuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 20261202L);
    private static final long INPUTS = Long.getLong("fuzz.inputs", 5_000);
    /** Inputs whose seeds are drawn but which are not sent: a failure among later ones replays without them. */
    private static final long FROM = Long.getLong("fuzz.from", 0);
    private static final int CHECK_EVERY = 1000;
    /** Event loops for the connections (the broker's own I/O thread serves only the control client and timers). */
    private static final int THREADS = Integer.getInteger("fuzz.threads", 2);
    /** Connections under way at once: enough to keep the event loops busy while this thread makes inputs. */
    private static final int IN_FLIGHT = 64;
    /** Heap samples between the warm-up and the end: ten in a long run, none in the short one (each costs three GCs). */
    private static final int HEAP_SAMPLES = INPUTS >= 1_000_000 ? 10 : 1;
    private static final long HEAP_TOLERANCE_MIB = 16;
    private static final int MAX_RETAINED = 100;

    private final PacketMutator mutator = new PacketMutator();

    @Test
    void mutatedPacketsThroughTheRealPipelineLeaveNothingBehind() throws Exception {
        ResourceLeakDetector.Level level = ResourceLeakDetector.Level.valueOf(
                System.getProperty("fuzz.leakDetection", "PARANOID").toUpperCase(Locale.ROOT));
        BrokerConfig config = BrokerConfig.builder().tcp("127.0.0.1", 0).sysIntervalSeconds(0).ioThreads(1)
                .maxPacketSize(64 * 1024).connectTimeoutMillis(2000)
                .maxSessionExpirySeconds(1).mqtt3SessionExpirySeconds(1).maxRetainedMessages(MAX_RETAINED).build();
        MqttBroker broker = new MqttBroker(config);
        EventLoopGroup loop = new DefaultEventLoopGroup(THREADS, new DefaultThreadFactory("fuzz-pipeline", true));
        try (FuzzWatch watch = new FuzzWatch(level)) {
            broker.start();
            LocalAddress address = new LocalAddress(PipelineFuzzTest.class);
            Channel server = new ServerBootstrap().group(loop).channel(LocalServerChannel.class)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 1024 * 1024))
                    .childHandler(new MqttChannelInitializer(broker, config.listeners().get(0), Authenticator.ANONYMOUS,
                            null, null))
                    .bind(address).sync().channel();
            Bootstrap clients = new Bootstrap().group(loop).channel(LocalChannel.class).handler(DISCARD);
            HeapSamples heap = new HeapSamples();
            heap.sample("before the first input", 0);
            long warmUp = FROM + Math.max(1, (INPUTS - FROM) / 100);
            long every = Math.max(1, INPUTS / HEAP_SAMPLES);
            Semaphore inFlight = new Semaphore(IN_FLIGHT);
            AtomicReference<Throwable> clientFailure = new AtomicReference<>();
            Random random = new Random(SEED);
            long start = System.nanoTime();
            long checked = FROM;
            for (long i = 0; i < INPUTS; i++) {
                long inputSeed = random.nextLong();
                if (i < FROM) {
                    continue;
                }
                byte[] input = mutator.input(inputSeed);
                inFlight.acquire();
                send(clients, address, input, new Random(~inputSeed), inFlight, clientFailure);
                if ((i + 1) % CHECK_EVERY == 0 || i == INPUTS - 1) {
                    if (!watch.problems().isEmpty() || clientFailure.get() != null) {
                        // a leak is reported when the buffer is collected, which may be long after its input
                        throw new AssertionError(String.format(Locale.ROOT, "among inputs %d to %d (replay them alone with"
                                + " -Dfuzz.seed=%d -Dfuzz.from=%d -Dfuzz.inputs=%d): %s", checked, i, SEED, checked, i + 1,
                                watch.problems()), clientFailure.get());
                    }
                    checked = i + 1;
                }
                if (i + 1 == warmUp || (i + 1) % every == 0) {
                    inFlight.acquire(IN_FLIGHT); // between inputs: none is half processed while the heap is measured
                    System.out.println("PipelineFuzzTest: " + heap.sample(i + 1 == warmUp ? HeapSamples.WARM : "", i + 1));
                    inFlight.release(IN_FLIGHT);
                }
            }
            inFlight.acquire(IN_FLIGHT);
            double seconds = (System.nanoTime() - start) / 1e9;
            Await.until(Duration.ofSeconds(30), "every fuzz connection closed", () -> broker.connectedClients() == 0);
            Await.until(Duration.ofSeconds(30), "every fuzz session expired", () -> broker.sessionCount() == 0);
            FuzzWatch.collectLeaks();
            heap.sample("at the end, sessions expired", INPUTS);
            System.out.printf(Locale.ROOT, "PipelineFuzzTest: %,d inputs (seed %d, leak detection %s) in %.1f s, %,.0f inputs/s;"
                    + " %,d connections, %d subscriptions left%n%s", INPUTS, SEED, level, seconds,
                    (INPUTS - FROM) / seconds, broker.stats().connectionsTotal(), broker.router().subscriptionCount(), heap);
            assertTrue(watch.problems().isEmpty(), watch.problems().toString());
            assertEquals(INPUTS - FROM, broker.stats().connectionsTotal(), "every input reached the broker on a connection of its own");
            assertEquals(0, broker.router().subscriptionCount(), "subscriptions of expired sessions");
            heap.assertFlat(HEAP_TOLERANCE_MIB);
            server.close().sync();
            FuzzWatch.assertBrokerStillServes(broker);
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            broker.stop();
        }
    }

    /**
     * Connects, writes the input in one to three pieces and closes, as a client that sends its bytes
     * and goes; the broker handles what it has read before it sees the connection end, as it would
     * after a TCP FIN. Returns at once; {@code done} is released when the connection has closed.
     */
    private static void send(Bootstrap clients, LocalAddress address, byte[] input, Random split, Semaphore done,
                             AtomicReference<Throwable> failure) {
        clients.connect(address).addListener((ChannelFuture connected) -> {
            if (!connected.isSuccess()) {
                failure.compareAndSet(null, connected.cause());
                done.release();
                return;
            }
            Channel ch = connected.channel();
            ch.closeFuture().addListener(f -> done.release());
            int pieces = 1 + split.nextInt(3);
            int from = 0;
            for (int p = 1; p <= pieces; p++) {
                int to = p == pieces ? input.length : from + split.nextInt(input.length - from + 1);
                // from the pooled allocator, as a socket read would be
                ByteBuf piece = ch.alloc().buffer(to - from).writeBytes(input, from, to - from);
                ch.write(piece);
                from = to;
            }
            ch.flush();
            ch.close();
        });
    }

    /** What the broker answers is read and dropped. */
    private static final ChannelHandler DISCARD = new DiscardingHandler();

    @ChannelHandler.Sharable
    private static final class DiscardingHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
