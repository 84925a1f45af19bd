package io.mqttra.broker;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One MQTT broker: a TCP listener, the sessions of its clients, and the router between them. It needs
 * nothing but a JVM, so it runs the same inside the resource adapter, in tests and in
 * {@link BrokerMain}.
 *
 * <p>Threads: one acceptor thread and {@link BrokerConfig#ioThreads()} I/O threads, all daemon
 * threads owned by this instance and gone when {@link #stop()} returns.
 */
public final class MqttBroker {

    private static final Logger LOG = Logger.getLogger(MqttBroker.class.getName());
    private static final long SHUTDOWN_TIMEOUT_SECONDS = 10;

    private final BrokerConfig config;
    private final MessageRouter router = new MessageRouter();
    private final SessionRegistry sessions;
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private EventLoopGroup acceptor;
    private volatile EventLoopGroup io;
    private Channel listener;
    private volatile boolean stopping;

    public MqttBroker(BrokerConfig config) {
        this.config = config;
        this.sessions = new SessionRegistry(config, router, this::schedule);
    }

    /** Binds the listener; fails with a message naming the address when it cannot. */
    public synchronized void start() throws BrokerStartException {
        if (listener != null) {
            throw new IllegalStateException("already started");
        }
        stopping = false;
        acceptor = new NioEventLoopGroup(1, new DefaultThreadFactory("mqtt-ra-accept", true));
        io = new NioEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("mqtt-ra-io", true));
        String where = "tcp://" + config.bindAddress() + ":" + config.port();
        ChannelFuture bind = new ServerBootstrap()
                .group(acceptor, io)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new MqttChannelInitializer(this))
                .bind(config.bindAddress(), config.port())
                .awaitUninterruptibly();
        if (!bind.isSuccess()) {
            shutdownThreads();
            throw new BrokerStartException("Cannot open MQTT listener " + where + ": " + bind.cause().getMessage(), bind.cause());
        }
        listener = bind.channel();
        LOG.info("MQTT-RA listener up: MQTT over TCP on " + config.bindAddress() + ":" + localAddress().getPort()
                + " (MQTT 3.1, 3.1.1, 5.0; max packet " + config.maxPacketSize() + " bytes)");
    }

    /** Closes the listener and every client connection, and waits for the broker's threads to end. */
    public synchronized void stop() {
        if (listener == null) {
            return;
        }
        stopping = true;
        String where = String.valueOf(listener.localAddress());
        listener.close().awaitUninterruptibly();
        listener = null;
        connections.forEach(Channel::close);
        shutdownThreads();
        LOG.info("MQTT-RA listener on " + where + " closed");
    }

    private void shutdownThreads() {
        acceptor.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        io.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        acceptor.terminationFuture().awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        io.terminationFuture().awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Publishes a message on behalf of the server (no MQTT client behind it). */
    public void publish(PublishedMessage message) {
        router.route(message);
    }

    /**
     * Subscribes a subscriber that lives inside the server, such as a message-driven bean's
     * activation. It receives messages exactly as an MQTT client session would.
     */
    public void subscribe(Subscriber subscriber, Subscription subscription) {
        router.subscribe(subscriber, subscription);
    }

    public void unsubscribe(Subscriber subscriber, Subscription subscription) {
        router.unsubscribe(subscriber, subscription);
    }

    /** The address the listener is bound to (the real port when the configured port was 0). */
    public synchronized InetSocketAddress localAddress() {
        return listener == null ? null : (InetSocketAddress) listener.localAddress();
    }

    public BrokerConfig config() {
        return config;
    }

    /** Number of open client connections. */
    public int connectionCount() {
        return connections.size();
    }

    /** Number of sessions, connected or persistent and offline. */
    public int sessionCount() {
        return sessions.size();
    }

    /** Messages dropped because a client's queue was full or a QoS 0 message found it offline or not reading. */
    public long droppedMessages() {
        return sessions.droppedMessages();
    }

    /** Session expiry and will delay timers; none once the broker is stopping (state is in memory only). */
    private ScheduledFuture<?> schedule(Runnable task, long seconds) {
        try {
            return io.schedule(task, seconds, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    MessageRouter router() {
        return router;
    }

    SessionRegistry sessions() {
        return sessions;
    }

    boolean isStopping() {
        return stopping;
    }

    void track(Channel connection) {
        connections.add(connection);
        connection.closeFuture().addListener(f -> connections.remove(connection));
    }
}
