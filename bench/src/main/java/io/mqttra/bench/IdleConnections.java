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
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code connections} scenario: opens C MQTT 3.1.1 connections that then stay idle, from several
 * 127.0.0.x broker addresses (a client has about 28,000 ephemeral ports per destination), and measures the connect
 * rate, the broker's CPU time per connection and what the broker's process holds per connection.
 * Against a broker that checks logins ({@link BrokerUnderTest#checksLogins()}) each CONNECT carries the
 * bench's user name and password. Written on Netty rather than a client library: a full client per
 * connection would make the load generator, not the broker, the limit.
 */
final class IdleConnections {

    private static final int PER_ADDRESS = 20_000;
    private static final int CONNECTS_IN_FLIGHT = 500;

    private IdleConnections() {
    }

    static List<Scenarios.Result> run(BrokerUnderTest broker, int count) throws Exception {
        count = fitting(count);
        BrokerMemory before = BrokerMemory.of(broker);
        long brokerFilesBefore = openFiles(broker.pid());
        EventLoopGroup group = new NioEventLoopGroup(2);
        try {
            ConnectPass first = new ConnectPass(group, "idle-", broker.checksLogins());
            long cpuBefore = cpuMillis(broker.pid());
            ThreadCpu threadsBefore = ThreadCpu.of(broker.pid());
            double seconds = first.connect(broker, count);
            long cpuFirst = cpuMillis(broker.pid()) - cpuBefore;
            ThreadCpu threadsFirst = ThreadCpu.of(broker.pid());
            List<Channel> channels = first.channels;
            long n = first.accepted.sum();
            Thread.sleep(2000); // let the broker settle before measuring it
            BrokerMemory after = BrokerMemory.of(broker);
            long open = channels.stream().filter(Channel::isActive).count();
            List<Scenarios.Result> results = new ArrayList<>();
            int asked = count;
            Figures figures = (metric, value, received) ->
                    results.add(new Scenarios.Result("connections", broker.name, 0, 0, metric, value, asked, received));
            figures.add("connects/s", n / seconds, n);
            if (cpuBefore >= 0) {
                // what a connection, and its login, costs the broker: on two cores shared with this load
                // generator the rate also depends on how the machine splits them
                figures.add("CPU µs/conn", cpuFirst * 1000.0 / n, n);
                addCpuByThread(figures, "", threadsBefore, threadsFirst, n);
            }
            figures.add("RSS B/conn", (after.rssBytes() - before.rssBytes()) / (double) n, open);
            double heap = (after.heapAfterGcBytes() - before.heapAfterGcBytes()) / (double) n;
            if (after.heapAfterGcBytes() >= 0) {
                figures.add("heap B/conn", heap, open);
                figures.add("heap MiB total", after.heapAfterGcBytes() / 1048576.0, open);
            }
            if (after.directBytes() >= 0 && before.directBytes() >= 0) {
                double direct = (after.directBytes() - before.directBytes()) / (double) n;
                figures.add("direct B/conn", direct, open);
                figures.add("heap+direct B/conn", heap + direct, open);
                // Netty's pools grow in whole chunks: a total that stays flat as connections grow is not per connection
                figures.add("direct MiB total", after.directBytes() / 1048576.0, open);
            }
            figures.add("RSS MiB total", after.rssBytes() / 1048576.0, open);
            // the first pass meets a fresh process, whose JIT competes with this load generator for two
            // cores (C2 compiled for about 3 s of it); the second meets a broker that has warmed up
            long closing = System.nanoTime();
            channels.stream().map(Channel::close).toList().forEach(io.netty.channel.ChannelFuture::syncUninterruptibly);
            awaitSettled(broker, brokerFilesBefore);
            System.out.printf(Locale.ROOT, "   %s settled %.1f s after the connections closed%n", broker.name,
                    (System.nanoTime() - closing) / 1e9);
            try {
                // new client ids: the same ids again would measure a broker's takeover of old sessions
                ConnectPass second = new ConnectPass(group, "idle-warm-", broker.checksLogins());
                long cpuWarm = cpuMillis(broker.pid());
                ThreadCpu threadsWarm = ThreadCpu.of(broker.pid());
                double warmSeconds = second.connect(broker, count);
                cpuWarm = cpuMillis(broker.pid()) - cpuWarm;
                ThreadCpu threadsAfter = ThreadCpu.of(broker.pid());
                figures.add("connects/s, warm", second.accepted.sum() / warmSeconds, second.accepted.sum());
                if (cpuBefore >= 0) {
                    figures.add("CPU µs/conn, warm", cpuWarm * 1000.0 / second.accepted.sum(), second.accepted.sum());
                    addCpuByThread(figures, ", warm", threadsWarm, threadsAfter, second.accepted.sum());
                }
            } catch (IOException e) {
                // the first pass's figures still count
                System.out.println("connections: the warm pass failed for " + broker.name + ": " + e.getMessage());
            }
            return results;
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
            Thread.sleep(2000); // the broker notices the closed sockets before the next scenario
        }
    }

    /** {@code count}, or fewer when this process may not open that many files, or more than the addresses allow. */
    private static int fitting(int count) {
        long fds = ((com.sun.management.UnixOperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getMaxFileDescriptorCount();
        if (count > fds - 1000) {
            // the broker inherits this limit too: each side needs one descriptor per connection
            System.out.println("connections: " + count + " asked, but this machine allows " + fds + " open files per process"
                    + " (ulimit -n, and no permission to raise it); measuring " + (fds - 1000));
            count = (int) (fds - 1000);
        }
        if (count > PER_ADDRESS * BrokerUnderTest.ADDRESSES) {
            throw new IllegalArgumentException("at most " + PER_ADDRESS * BrokerUnderTest.ADDRESSES + " connections");
        }
        return count;
    }

    /**
     * One unmeasured pass of {@code count} connections, closed again, before the first broker's
     * connections are measured: when no other scenario ran before, this load generator's own connect
     * path is still being compiled, and the first broker would measure slower than the others.
     */
    static void warmUpGenerator(BrokerUnderTest broker, int count) throws Exception {
        EventLoopGroup group = new NioEventLoopGroup(2);
        try {
            ConnectPass pass = new ConnectPass(group, "idle-generator-", broker.checksLogins());
            pass.connect(broker, fitting(count));
            pass.channels.stream().map(Channel::close).toList().forEach(io.netty.channel.ChannelFuture::syncUninterruptibly);
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * Where the CPU per connection went: user and kernel time, and the broker's kinds of thread (a
     * JVM's I/O threads against its JIT and GC), so that a broker's figure can be taken apart.
     */
    private static void addCpuByThread(Figures figures, String pass, ThreadCpu before, ThreadCpu after, long n) {
        if (before == null || after == null || n == 0) {
            return;
        }
        after.microsPerSince(before, n).forEach((part, micros) -> figures.add("CPU µs/conn" + pass + ", " + part, micros, n));
    }

    /** One figure of the scenario. */
    private interface Figures {
        void add(String metric, double value, long received);
    }

    /**
     * Waits (at most 60 s) until the broker has let go of the closed connections' sockets, as both
     * passes at once would not fit in its open-file limit, and has finished with them: Artemis was
     * still busy after its sockets were gone, and reconnected at an eighth of its first rate.
     */
    private static void awaitSettled(BrokerUnderTest broker, long filesBefore) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (openFiles(broker.pid()) > filesBefore + 100 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        while (cpuMillis(broker.pid()) >= 0 && System.nanoTime() < deadline) {
            long used = cpuMillis(broker.pid());
            Thread.sleep(1000);
            if (cpuMillis(broker.pid()) - used < 50) {
                return; // under 5% of a core for a second
            }
        }
    }

    /** The CPU time the broker process has used so far, or -1 when the platform does not say. */
    private static long cpuMillis(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(java.time.Duration::toMillis).orElse(-1L);
    }

    /** The broker process's open file descriptors. */
    private static long openFiles(long pid) throws IOException {
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        }
    }

    /** One pass of connections, {@value #CONNECTS_IN_FLIGHT} CONNECTs at a time, each held open afterwards. */
    private static final class ConnectPass {

        final List<Channel> channels = new ArrayList<>();
        final LongAdder accepted = new LongAdder();
        private final LongAdder failed = new LongAdder();
        /** CONNACKs that refused (a wrong password, a login limit): counted among the failures, and reported. */
        private final LongAdder refused = new LongAdder();
        private volatile MqttConnectReturnCode firstRefusal;
        private final Semaphore inFlight = new Semaphore(CONNECTS_IN_FLIGHT);
        private final Bootstrap bootstrap;

        ConnectPass(EventLoopGroup group, String idPrefix, boolean login) {
            byte[] password = BrokerUnderTest.PASSWORD.getBytes(StandardCharsets.UTF_8);
            bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                    .option(ChannelOption.SO_RCVBUF, 4096).option(ChannelOption.SO_SNDBUF, 4096)
                    // closed with a reset: no TIME_WAIT holding 50,000 ports for a minute after the scenario
                    .option(ChannelOption.SO_LINGER, 0)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE, new SimpleChannelInboundHandler<MqttMessage>() {
                                @Override
                                public void channelActive(ChannelHandlerContext ctx) {
                                    String id = idPrefix + ctx.channel().localAddress().toString().replaceAll("[^0-9]", "-");
                                    MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect().clientId(id)
                                            .cleanSession(true).keepAlive(0).protocolVersion(MqttVersion.MQTT_3_1_1);
                                    if (login) {
                                        // the builder sets the user name and password flags with the payload's fields
                                        connect.username(BrokerUnderTest.USER).password(password);
                                    }
                                    ctx.writeAndFlush(connect.build());
                                }

                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
                                    if (msg instanceof MqttConnAckMessage ack) {
                                        if (ack.variableHeader().connectReturnCode() == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                                            accepted.increment();
                                        } else {
                                            if (firstRefusal == null) {
                                                firstRefusal = ack.variableHeader().connectReturnCode();
                                            }
                                            refused.increment();
                                            failed.increment();
                                        }
                                        inFlight.release();
                                    }
                                }
                            });
                        }
                    });
        }

        private String refusals() {
            return refused.sum() == 0 ? "" : ", " + refused.sum() + " of them refused by CONNACK, the first with " + firstRefusal;
        }

        /** Connects {@code count} clients; returns the seconds until the last CONNACK. */
        double connect(BrokerUnderTest broker, int count) throws Exception {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                if (!inFlight.tryAcquire(60, TimeUnit.SECONDS)) {
                    throw new IOException("no CONNACK for 60 s after " + accepted.sum() + " connections");
                }
                InetSocketAddress server = new InetSocketAddress("127.0.0." + (1 + i / PER_ADDRESS), broker.port);
                bootstrap.connect(server).addListener(f -> {
                    if (!f.isSuccess()) {
                        if (failed.sum() == 0) {
                            System.out.println("first failed connection: " + f.cause());
                        }
                        failed.increment();
                        inFlight.release();
                    } else {
                        synchronized (channels) {
                            channels.add(((io.netty.channel.ChannelFuture) f).channel());
                        }
                    }
                });
                if (failed.sum() > count / 100 + 10) {
                    throw new IOException("more than 1% of connections failed (" + failed.sum() + refusals()
                            + "); raise ulimit -n?");
                }
            }
            if (!inFlight.tryAcquire(CONNECTS_IN_FLIGHT, 60, TimeUnit.SECONDS)) {
                throw new IOException("CONNACKs missing: " + accepted.sum() + " of " + count);
            }
            if (refused.sum() > 0) {
                System.out.println("   " + broker.name + refusals());
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /**
     * The broker process's resident memory, and for a JVM its heap after a full GC and its direct
     * memory: what native memory tracking counts as "Other", where the JDK books {@code Unsafe}
     * allocations, so Netty's pooled and unpooled direct buffers alike (-1 without tracking).
     */
    record BrokerMemory(long rssBytes, long heapAfterGcBytes, long directBytes) {

        static BrokerMemory of(BrokerUnderTest broker) throws IOException, InterruptedException {
            long heap = -1;
            long direct = -1;
            if (broker.isJvm()) {
                heap = heapAfterGc(broker.pid());
                direct = parseOtherCommitted(jcmd(broker.pid(), "VM.native_memory summary scale=KB"));
            }
            long rss = -1;
            for (String line : Files.readAllLines(Path.of("/proc/" + broker.pid() + "/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            return new BrokerMemory(rss, heap, direct);
        }

        /** The heap in use right after a full collection, from jcmd. */
        static long heapAfterGc(long pid) throws IOException, InterruptedException {
            jcmd(pid, "GC.run");
            return parseHeapUsed(jcmd(pid, "GC.heap_info"));
        }

        private static String jcmd(long pid, String command) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(pid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        }

        /** NMT's "-  Other (reserved=2052KB, committed=2052KB)", or -1 when tracking is off. */
        static long parseOtherCommitted(String summary) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("Other \\(reserved=\\d+KB, committed=(\\d+)KB\\)")
                    .matcher(summary);
            if (m.find()) {
                return Long.parseLong(m.group(1)) * 1024;
            }
            return summary.contains("Total: reserved=") ? 0 : -1; // NMT leaves out a category with nothing in it
        }

        /** G1's "garbage-first heap   total 1048576K, used 12345K". */
        static long parseHeapUsed(String heapInfo) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("heap\\s+total\\s+\\d+K, used (\\d+)K").matcher(heapInfo);
            if (!m.find()) {
                throw new IllegalStateException("cannot read the heap size from jcmd: " + heapInfo);
            }
            return Long.parseLong(m.group(1)) * 1024;
        }
    }

    static String describe(Scenarios.Result r) {
        return String.format(Locale.ROOT, "%s %s %.1f", r.broker(), r.metric(), r.value());
    }
}
