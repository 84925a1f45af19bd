package io.mqttra.broker;

import io.mqttra.api.MqttTopics;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * One MQTT broker: its listeners, the sessions of its clients, and the router between them. It needs
 * nothing but a JVM, so it runs the same inside the resource adapter, in tests and in
 * {@code io.mqttra.engine.EngineMain}.
 *
 * <p>Threads: one acceptor thread and {@link BrokerConfig#ioThreads()} I/O threads, all daemon
 * threads owned by this instance and gone when {@link #stop()} returns.
 */
public final class MqttBroker {

    private static final long STORE_TIMEOUT_SECONDS = 30;
    private static final Logger LOG = Logger.getLogger(MqttBroker.class.getName());
    private static final String VERSION = readVersion();
    private static final long SHUTDOWN_TIMEOUT_SECONDS = 10;

    private final BrokerConfig config;
    private final BrokerSecurity security;
    private final LoginThrottle loginThrottle;
    private final BrokerStats stats = new BrokerStats();
    private final MessageRouter router;
    private final ClusterBus cluster;
    private final SessionRegistry sessions;
    private final TrafficCounter trafficCounter = new TrafficCounter(stats);
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectedClients = new AtomicInteger();
    private final List<Channel> listeners = new ArrayList<>();
    private EventLoopGroup acceptor;
    private volatile EventLoopGroup io;
    private volatile boolean stopping;
    private volatile long startedAt;
    /** False for {@link WarmUp}'s throwaway broker, whose listener no one is to look for in the log. */
    private boolean announced = true;

    /** A broker without authentication or topic permissions: for tests and networks secured otherwise. */
    public MqttBroker(BrokerConfig config) {
        this(config, BrokerSecurity.OPEN);
    }

    public MqttBroker(BrokerConfig config, BrokerSecurity security) {
        this(config, security, ClusterBus.NONE);
    }

    /** A broker that is one node of a cluster: {@code cluster} joins it at {@link #start()}. */
    public MqttBroker(BrokerConfig config, BrokerSecurity security, ClusterBus cluster) {
        this.config = config;
        this.cluster = cluster;
        this.router = new MessageRouter(new RetainedMessages(config.maxRetainedMessages(), config.maxRetainedBytes()), cluster,
                new TopicStatistics(config.maxTrackedTopics()));
        this.security = security;
        this.loginThrottle = new LoginThrottle(config.loginFailureDelayMillis());
        this.sessions = new SessionRegistry(config, router, stats, this::schedule);
    }

    /** Binds every listener; fails with a message naming the listener when one cannot start. */
    public synchronized void start() throws BrokerStartException {
        if (!listeners.isEmpty()) {
            throw new IllegalStateException("already started");
        }
        stopping = false;
        if (config.warmUpConnections() > 0) {
            WarmUp.once(config.warmUpConnections());
        }
        startedAt = System.currentTimeMillis();
        acceptor = new NioEventLoopGroup(1, new DefaultThreadFactory("mqtt-ra-accept", true));
        // 0: one per processor, as documented (Netty's own default, twice that, only adds hand-offs between threads)
        int ioThreads = config.ioThreads() > 0 ? config.ioThreads() : Runtime.getRuntime().availableProcessors();
        io = new NioEventLoopGroup(ioThreads, new DefaultThreadFactory("mqtt-ra-io", true));
        log("MQTT-RA I/O: " + ioThreads + " threads; Netty " + (PlatformDependent.hasUnsafe()
                ? "with sun.misc.Unsafe" : "without sun.misc.Unsafe (" + PlatformDependent.getUnsafeUnavailabilityCause() + ")"));
        try {
            // before any client can connect: routes, retained messages and takeovers of the other nodes first
            cluster.start(new BrokerNode(this));
        } catch (BrokerStartException e) {
            stop();
            throw e;
        }
        ConnectionRateLimiter rateLimiter = config.maxConnectionsPerSecondPerAddress() > 0
                ? new ConnectionRateLimiter(config.maxConnectionsPerSecondPerAddress(), stats) : null;
        SslContext tls = null;
        for (ListenerConfig l : config.listeners()) {
            String where = l.describe(l.port());
            try {
                if (l.transport().isTls() && tls == null) {
                    tls = TlsContexts.serverContext(config.tls());
                }
                ChannelFuture bind = new ServerBootstrap()
                        .group(acceptor, io)
                        .channel(NioServerSocketChannel.class)
                        .option(ChannelOption.SO_BACKLOG, 1024)
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        // room for bursts to a client that reads a little slower than others publish;
                        // beyond it QoS 0 is dropped and QoS 1/2 wait in the session's bounded queue
                        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 1024 * 1024))
                        .childHandler(new MqttChannelInitializer(this, l, security.authenticatorFor(l),
                                l.transport().isTls() ? tls : null, rateLimiter))
                        .bind(l.host(), l.port())
                        .awaitUninterruptibly();
                if (!bind.isSuccess()) {
                    throw new BrokerStartException("cannot bind: " + bind.cause().getMessage(), bind.cause());
                }
                listeners.add(bind.channel());
                log("MQTT-RA listener up: " + l.describe(((InetSocketAddress) bind.channel().localAddress()).getPort())
                        + " (MQTT 3.1, 3.1.1, 5.0; max packet " + config.maxPacketSize() + " bytes; logins: "
                        + security.describeLogins(l) + ")");
            } catch (BrokerStartException e) {
                stop();
                throw new BrokerStartException("Cannot open MQTT listener " + where + ": " + e.getMessage(), e.getCause());
            }
        }
        if (config.sysIntervalSeconds() > 0) {
            SysTopics sys = new SysTopics(this);
            io.scheduleAtFixedRate(sys::publish, 0, config.sysIntervalSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Closes the listeners and every client connection, and waits for the broker's threads to end. */
    public synchronized void stop() {
        if (acceptor == null) {
            return;
        }
        stopping = true;
        for (Channel l : listeners) {
            l.close().awaitUninterruptibly();
            log("MQTT-RA listener on " + l.localAddress() + " closed");
        }
        listeners.clear();
        connections.forEach(Channel::close);
        cluster.stop();
        acceptor.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        io.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        acceptor.terminationFuture().awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        io.terminationFuture().awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        acceptor = null;
    }

    /** A broker for {@link WarmUp}: it says nothing of its listener or threads. */
    MqttBroker unannounced() {
        announced = false;
        return this;
    }

    private void log(String message) {
        if (announced) {
            LOG.info(message);
        }
    }

    /** Session expiry and will delay timers; none once the broker is stopping (state is in memory only). */
    private ScheduledFuture<?> schedule(Runnable task, long seconds) {
        try {
            return io.schedule(task, seconds, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    /**
     * Publishes a message on behalf of the server (no MQTT client behind it), and returns once the
     * persistent subscribers have stored it. Not for I/O threads.
     *
     * @throws IllegalStateException when a persistent subscriber could not store it
     * @throws PublishRefusedException when a client could not have published it either (see {@link #check})
     */
    public void publish(PublishedMessage message) {
        check(message);
        MessageRouter.Routing routing = router.route(message);
        if (!routing.isStored()) {
            try {
                routing.stored().get(STORE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while storing a message for " + message.topic(), e);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("a message for " + message.topic() + " could not be stored: " + e, e);
            }
        }
    }

    /**
     * Refuses what the server's applications send that an MQTT client could not publish: the same topic
     * rules, limits and packet size as a client's PUBLISH [MQTT-3.3.2-2], and no {@code $SYS}. Callers
     * that hold messages until a transaction commits check them when they are sent.
     *
     * @throws PublishRefusedException saying what is wrong
     */
    public void check(PublishedMessage message) {
        String topic = message.topic();
        String problem = MqttTopics.topicNameProblem(topic);
        if (problem == null) {
            problem = TopicLimits.problem(topic, config);
        }
        if (problem == null && SysTopics.isSysTopic(topic)) {
            problem = "$SYS topics belong to the broker";
        }
        if (problem != null) {
            throw new PublishRefusedException("cannot publish to '" + abbreviated(topic) + "': " + problem, true);
        }
        int size = PacketSizes.publish(topic, message.payload().length, message.qos(), MqttProperties.NO_PROPERTIES, false);
        if (size > config.maxPacketSize()) {
            throw new PublishRefusedException("a message of " + message.payload().length + " bytes to '" + abbreviated(topic)
                    + "' is larger than maxPacketSize (" + config.maxPacketSize() + " bytes per packet)", false);
        }
    }

    private static String abbreviated(String topic) {
        return topic.length() <= 100 ? topic : topic.substring(0, 100) + "… (" + topic.length() + " characters)";
    }

    /**
     * Subscribes a subscriber that lives inside the server, such as a message-driven bean's
     * activation. It receives messages exactly as an MQTT client session would, and the matching
     * retained messages first when the subscription's Retain Handling is 0.
     */
    public void subscribe(Subscriber subscriber, Subscription subscription) {
        router.subscribe(subscriber, subscription);
        if (subscription.retainHandling() == Subscription.SEND_RETAINED) {
            router.sendRetained(subscriber, subscription, System.currentTimeMillis());
        }
    }

    public void unsubscribe(Subscriber subscriber, Subscription subscription) {
        router.unsubscribe(subscriber, subscription);
    }

    /** The address of the first listener (the real port when the configured port was 0). */
    public synchronized InetSocketAddress localAddress() {
        return localAddress(0);
    }

    /** The address of the listener at {@code index} in the configuration. */
    public synchronized InetSocketAddress localAddress(int index) {
        return listeners.size() <= index ? null : (InetSocketAddress) listeners.get(index).localAddress();
    }

    Authorizer authorizer() {
        return security.authorizer();
    }

    LoginThrottle loginThrottle() {
        return loginThrottle;
    }

    public BrokerConfig config() {
        return config;
    }

    public BrokerStats stats() {
        return stats;
    }

    /** When {@link #start()} was called last, epoch ms ({@code $SYS/broker/uptime} counts from it). */
    public long startedAt() {
        return startedAt;
    }

    /** The listeners that are up, in configuration order, with their actual addresses and open connections. */
    public synchronized List<ListenerSnapshot> listeners() {
        List<ListenerSnapshot> up = new ArrayList<>(listeners.size());
        for (int i = 0; i < listeners.size(); i++) {
            Channel listener = listeners.get(i);
            ListenerConfig l = config.listeners().get(i);
            int open = (int) connections.stream().filter(c -> c.parent() == listener).count();
            up.add(new ListenerSnapshot(l.name(), l.describe(((InetSocketAddress) listener.localAddress()).getPort()),
                    l.transport(), open));
        }
        return up;
    }

    /** Number of subscriptions, of clients and of subscribers inside the server. */
    public int subscriptionCount() {
        return router.subscriptionCount();
    }

    /** What administrators may see of the subscriptions. */
    public SubscriptionAdministration subscriptionAdministration() {
        return router.subscriptionAdministration();
    }

    /** The retained messages. */
    public RetainedMessages retained() {
        return router.retained();
    }

    /** Message counts and latest payloads per topic, for administrators. */
    public TopicStatistics topicStatistics() {
        return router.topicStatistics();
    }

    /** What administrators may see of and do to client sessions. */
    public SessionAdministration sessionAdministration() {
        return new SessionAdministration(sessions);
    }

    /** Number of clients connected with an accepted CONNECT. */
    public int connectedClients() {
        return connectedClients.get();
    }

    /** Number of sessions, connected or persistent and offline. */
    public int sessionCount() {
        return sessions.size();
    }

    /** Counts a message a subscriber inside the server dropped because of its limit. */
    public void countDropped() {
        stats.messagesDropped.increment();
    }

    /** Messages not delivered to some client because of a limit. */
    public long droppedMessages() {
        return stats.messagesDropped();
    }

    /**
     * The version Maven wrote into {@code version.properties}: read from a resource rather than the jar's
     * manifest, because a server's module class loader need not define packages from the manifest.
     */
    public static String version() {
        return VERSION;
    }

    private static String readVersion() {
        try (InputStream in = MqttBroker.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "development");
        } catch (IOException e) {
            return "development";
        }
    }

    MessageRouter router() {
        return router;
    }

    ClusterBus cluster() {
        return cluster;
    }

    SessionRegistry sessions() {
        return sessions;
    }

    TrafficCounter trafficCounter() {
        return trafficCounter;
    }

    AtomicInteger connectedClientsCounter() {
        return connectedClients;
    }

    boolean isStopping() {
        return stopping;
    }

    /**
     * Counts a connection from the moment it is accepted, so that a burst of connections whose logins
     * are still under way cannot overshoot {@code maxConnections}.
     *
     * @return whether it is within {@code maxConnections}; one beyond is refused at its CONNECT
     */
    boolean track(Channel connection) {
        connections.add(connection);
        stats.connectionsTotal.increment();
        connection.closeFuture().addListener(f -> connections.remove(connection));
        return connections.size() <= config.maxConnections();
    }
}
