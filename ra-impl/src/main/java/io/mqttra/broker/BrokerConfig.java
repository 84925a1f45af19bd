package io.mqttra.broker;

import java.util.List;

/**
 * Settings of one broker instance. Immutable; build with {@link #builder()}. Values are checked by
 * the code that reads them from users (the resource adapter, {@code io.mqttra.engine.EngineMain}), which can name the
 * property; this class only rejects values that cannot work at all.
 *
 * @param listeners where clients connect: TCP, TLS, WebSocket and WebSocket over TLS
 * @param tls key material for the TLS listeners, or {@code null} when there are none
 * @param ioThreads number of Netty I/O threads; 0 means one per available processor
 * @param connectTimeoutMillis a connection that has not sent CONNECT within this time is closed
 * @param maxPacketSize largest MQTT packet accepted, in bytes (fixed header included)
 * @param maxInflightPerClient unacknowledged QoS 1/2 messages sent to one client before further ones wait;
 *     also the Receive Maximum MQTT 5 clients are held to
 * @param maxQueuedPerClient messages kept per client while it is offline or its in-flight window is full
 * @param queueOverflow what happens to a message for a client whose queue is full
 * @param queueQos0WhileOffline whether persistent sessions also queue QoS 0 messages while offline
 * @param topicAliasMaximum topic aliases per MQTT 5 connection each way: those a client may set towards
 *     the broker (its Topic Alias Maximum in CONNACK), and at most those the broker sets towards a client,
 *     whatever more the client accepts; 0 disables them
 * @param maxKeepAliveSeconds the longest keep-alive the broker accepts; clients asking for more (or for
 *     none) are held to this one, and MQTT 5 clients are told it as Server Keep Alive
 * @param maxConnections open connections at most; further clients are refused at CONNECT
 * @param maxConnectionsPerSecondPerAddress new connections per second from one IP address; beyond it
 *     they are closed at once (0: no limit)
 * @param maxClientIdLength longest client identifier accepted
 * @param maxTopicLength longest topic name or filter accepted, in UTF-8 bytes
 * @param maxTopicLevels most levels a topic name or filter may have
 * @param sysIntervalSeconds how often the {@code $SYS} topics are published (0: never)
 * @param maxClientBufferBytes bytes of QoS 0 messages waiting for one connected client before further
 *     ones are dropped (its socket buffer's high-water mark comes on top)
 * @param maxSessionExpirySeconds the longest a session is kept without a connection: caps MQTT 5
 *     clients' Session Expiry Interval (they are told in CONNACK) and ends abandoned MQTT 3.x persistent
 *     sessions; {@link ClientSession#NEVER_EXPIRES} keeps them forever
 * @param loginFailureDelayMillis how long the refusal of a failed login waits, doubling with each
 *     further failure from the same address up to 64 times this (0: no delay)
 * @param mqtt3SessionExpirySeconds how long an MQTT 3.x persistent session (cleanSession=0), which
 *     has no expiry of its own, is kept without a connection; {@link ClientSession#NEVER_EXPIRES} keeps it forever
 * @param maxSubscriptionsPerClient topic filters one client may hold; further ones get SUBACK 0x97 (3.x: 0x80)
 * @param maxRetainedMessages retained messages kept at most; beyond it a retained publish is delivered but not kept
 * @param maxRetainedBytes bytes of retained messages (payloads and topics) kept at most, likewise
 * @param disconnectOnDeniedPublish whether an MQTT 3.x client that publishes where it may not is
 *     disconnected (as IBM MQ does) rather than acknowledged and ignored (as Mosquitto does); MQTT 5
 *     clients are told 0x87 either way
 * @param maxClientSessions sessions kept at most, connected or not; a CONNECT that would make one more is
 *     refused (MQTT 5: 0x97, 3.x: 3), one that resumes or replaces its own session is not
 * @param mqtt3ReceiveMaximum what an MQTT 3.x client, which cannot be told a Receive Maximum, is held to:
 *     one more QoS 2 message than this while as many wait for its PUBREL closes the connection, and as many
 *     acknowledgements waiting for persistent subscribers pause reading from it until half are sent
 * @param maxTrackedTopics topics whose message count and latest payload are kept for administrators (see
 *     {@link TopicStatistics}); messages on further topics are only counted together; 0 turns this off
 */
public record BrokerConfig(
        List<ListenerConfig> listeners,
        TlsConfig tls,
        int ioThreads,
        long connectTimeoutMillis,
        int maxPacketSize,
        int maxInflightPerClient,
        int maxQueuedPerClient,
        QueueOverflow queueOverflow,
        boolean queueQos0WhileOffline,
        int topicAliasMaximum,
        int maxKeepAliveSeconds,
        int maxConnections,
        int maxConnectionsPerSecondPerAddress,
        int maxClientIdLength,
        int maxTopicLength,
        int maxTopicLevels,
        int sysIntervalSeconds,
        long maxSessionExpirySeconds,
        long maxClientBufferBytes,
        long loginFailureDelayMillis,
        long mqtt3SessionExpirySeconds,
        int maxSubscriptionsPerClient,
        int maxRetainedMessages,
        long maxRetainedBytes,
        boolean disconnectOnDeniedPublish,
        int maxClientSessions,
        int mqtt3ReceiveMaximum,
        int maxTrackedTopics,
        int warmUpConnections) {

    /** What a full per-client queue does with one more message. */
    public enum QueueOverflow {
        /** The new message is dropped (and counted). */
        DROP_NEW,
        /** The oldest queued message is dropped (and counted) to make room. */
        DROP_OLDEST
    }

    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    public static final int DEFAULT_PORT = 1883;
    public static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 10_000;
    /** 1 MiB, as EMQX: big enough for firmware chunks and images, small enough to bound memory. */
    public static final int DEFAULT_MAX_PACKET_SIZE = 1024 * 1024;
    public static final int DEFAULT_MAX_INFLIGHT = 32;
    public static final int DEFAULT_MAX_QUEUED = 1000;
    public static final int DEFAULT_TOPIC_ALIAS_MAXIMUM = 10;
    /** The protocol's own maximum: no clamping. */
    public static final int DEFAULT_MAX_KEEP_ALIVE = 65_535;
    public static final int DEFAULT_MAX_CONNECTIONS = 100_000;
    /**
     * Stops one address from opening thousands of connections a second (a reconnect loop, a flood),
     * while a fleet behind one NAT address reconnects within seconds; test harnesses and load
     * generators that open more from one address set their own.
     */
    public static final int DEFAULT_MAX_CONNECTION_RATE = 200;
    /** Twice {@link #DEFAULT_MAX_CONNECTIONS}: every connected client, and as many offline persistent sessions. */
    public static final int DEFAULT_MAX_CLIENT_SESSIONS = 200_000;
    /** Above the windows MQTT 3.x clients keep (Paho 10, Mosquitto 20, a load generator's 100s). */
    public static final int DEFAULT_MQTT3_RECEIVE_MAXIMUM = 1000;
    /** About 4 MB at most with topics of a few dozen characters: enough for a site's tree, not for a flood of made-up topics. */
    public static final int DEFAULT_MAX_TRACKED_TOPICS = 10_000;
    /**
     * What the engine and the adapter run through a throwaway broker before the listeners open
     * ({@link WarmUp}); the builder's default is none, so that a broker in a test starts at once.
     */
    public static final int DEFAULT_WARM_UP_CONNECTIONS = 3000;
    public static final int DEFAULT_MAX_CLIENT_ID_LENGTH = 256;
    public static final int DEFAULT_MAX_TOPIC_LENGTH = 1024;
    public static final int DEFAULT_MAX_TOPIC_LEVELS = 64;
    public static final int DEFAULT_SYS_INTERVAL = 10;
    public static final long DEFAULT_MAX_CLIENT_BUFFER_BYTES = 1024 * 1024;
    public static final long DEFAULT_LOGIN_FAILURE_DELAY_MILLIS = 500;
    /** A week: a device that stays away longer starts afresh, and an abandoned session does not stay forever. */
    public static final long DEFAULT_MQTT3_SESSION_EXPIRY_SECONDS = 7 * 24 * 3600;
    public static final int DEFAULT_MAX_SUBSCRIPTIONS_PER_CLIENT = 1000;
    public static final int DEFAULT_MAX_RETAINED_MESSAGES = 1_000_000;
    public static final long DEFAULT_MAX_RETAINED_BYTES = 256L * 1024 * 1024;
    /** The largest packet the MQTT remaining-length field can describe (MQTT 3.1.1 section 2.2.3). */
    public static final int PROTOCOL_MAX_PACKET_SIZE = 268_435_455 + 5;

    public BrokerConfig {
        listeners = List.copyOf(listeners);
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("at least one listener is needed");
        }
        // each message names the limit, as the resource adapter's property of the same name does
        requireRange("maxPacketSize", maxPacketSize, 16, PROTOCOL_MAX_PACKET_SIZE);
        requireRange("connectTimeoutMillis", connectTimeoutMillis, 1, Long.MAX_VALUE);
        requireRange("ioThreads", ioThreads, 0, Integer.MAX_VALUE);
        requireRange("maxInflightPerClient", maxInflightPerClient, 1, 65_535);
        requireRange("maxQueuedPerClient", maxQueuedPerClient, 0, Integer.MAX_VALUE);
        requireRange("topicAliasMaximum", topicAliasMaximum, 0, 65_535);
        requireRange("maxKeepAliveSeconds", maxKeepAliveSeconds, 1, 65_535);
        requireRange("maxConnections", maxConnections, 1, Integer.MAX_VALUE);
        requireRange("maxConnectionsPerSecondPerAddress", maxConnectionsPerSecondPerAddress, 0, Integer.MAX_VALUE);
        requireRange("maxClientIdLength", maxClientIdLength, 1, Integer.MAX_VALUE);
        requireRange("maxTopicLength", maxTopicLength, 1, Integer.MAX_VALUE);
        requireRange("maxTopicLevels", maxTopicLevels, 1, Integer.MAX_VALUE);
        requireRange("sysIntervalSeconds", sysIntervalSeconds, 0, Integer.MAX_VALUE);
        requireRange("maxSessionExpirySeconds", maxSessionExpirySeconds, 0, ClientSession.NEVER_EXPIRES);
        requireRange("maxClientBufferBytes", maxClientBufferBytes, 1024, Long.MAX_VALUE);
        requireRange("loginFailureDelayMillis", loginFailureDelayMillis, 0, 60_000);
        requireRange("mqtt3SessionExpirySeconds", mqtt3SessionExpirySeconds, 0, ClientSession.NEVER_EXPIRES);
        requireRange("maxSubscriptionsPerClient", maxSubscriptionsPerClient, 1, Integer.MAX_VALUE);
        requireRange("maxRetainedMessages", maxRetainedMessages, 0, Integer.MAX_VALUE);
        requireRange("maxRetainedBytes", maxRetainedBytes, 0, Long.MAX_VALUE);
        requireRange("maxClientSessions", maxClientSessions, 1, Integer.MAX_VALUE);
        requireRange("mqtt3ReceiveMaximum", mqtt3ReceiveMaximum, 1, 65_535);
        requireRange("maxTrackedTopics", maxTrackedTopics, 0, Integer.MAX_VALUE);
        requireRange("warmUpConnections", warmUpConnections, 0, 100_000);
        if (queueOverflow == null) {
            throw new IllegalArgumentException("queueOverflow must be one of "
                    + java.util.Arrays.toString(QueueOverflow.values()));
        }
    }

    private static void requireRange(String limit, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(limit + " must be between " + min + " and " + max + ", not " + value);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private List<ListenerConfig> listeners = List.of(ListenerConfig.tcp(DEFAULT_BIND_ADDRESS, DEFAULT_PORT));
        private TlsConfig tls;
        private int ioThreads;
        private long connectTimeoutMillis = DEFAULT_CONNECT_TIMEOUT_MILLIS;
        private int maxPacketSize = DEFAULT_MAX_PACKET_SIZE;
        private int maxInflightPerClient = DEFAULT_MAX_INFLIGHT;
        private int maxQueuedPerClient = DEFAULT_MAX_QUEUED;
        private QueueOverflow queueOverflow = QueueOverflow.DROP_NEW;
        private boolean queueQos0WhileOffline;
        private int topicAliasMaximum = DEFAULT_TOPIC_ALIAS_MAXIMUM;
        private int maxKeepAliveSeconds = DEFAULT_MAX_KEEP_ALIVE;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerSecondPerAddress = DEFAULT_MAX_CONNECTION_RATE;
        private int maxClientIdLength = DEFAULT_MAX_CLIENT_ID_LENGTH;
        private int maxTopicLength = DEFAULT_MAX_TOPIC_LENGTH;
        private int maxTopicLevels = DEFAULT_MAX_TOPIC_LEVELS;
        private int sysIntervalSeconds = DEFAULT_SYS_INTERVAL;
        private long maxSessionExpirySeconds = ClientSession.NEVER_EXPIRES;
        private long maxClientBufferBytes = DEFAULT_MAX_CLIENT_BUFFER_BYTES;
        private long loginFailureDelayMillis = DEFAULT_LOGIN_FAILURE_DELAY_MILLIS;
        private long mqtt3SessionExpirySeconds = DEFAULT_MQTT3_SESSION_EXPIRY_SECONDS;
        private int maxSubscriptionsPerClient = DEFAULT_MAX_SUBSCRIPTIONS_PER_CLIENT;
        private int maxRetainedMessages = DEFAULT_MAX_RETAINED_MESSAGES;
        private long maxRetainedBytes = DEFAULT_MAX_RETAINED_BYTES;
        private boolean disconnectOnDeniedPublish;
        private int maxClientSessions = DEFAULT_MAX_CLIENT_SESSIONS;
        private int mqtt3ReceiveMaximum = DEFAULT_MQTT3_RECEIVE_MAXIMUM;
        private int maxTrackedTopics = DEFAULT_MAX_TRACKED_TOPICS;
        private int warmUpConnections;

        public Builder listeners(List<ListenerConfig> v) { listeners = v; return this; }
        /** Replaces the listeners with one plain TCP listener. */
        public Builder tcp(String host, int port) { listeners = List.of(ListenerConfig.tcp(host, port)); return this; }
        public Builder tls(TlsConfig v) { tls = v; return this; }
        public Builder ioThreads(int v) { ioThreads = v; return this; }
        public Builder connectTimeoutMillis(long v) { connectTimeoutMillis = v; return this; }
        public Builder maxPacketSize(int v) { maxPacketSize = v; return this; }
        public Builder maxInflightPerClient(int v) { maxInflightPerClient = v; return this; }
        public Builder maxQueuedPerClient(int v) { maxQueuedPerClient = v; return this; }
        public Builder queueOverflow(QueueOverflow v) { queueOverflow = v; return this; }
        public Builder queueQos0WhileOffline(boolean v) { queueQos0WhileOffline = v; return this; }
        public Builder topicAliasMaximum(int v) { topicAliasMaximum = v; return this; }
        public Builder maxKeepAliveSeconds(int v) { maxKeepAliveSeconds = v; return this; }
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        public Builder maxConnectionsPerSecondPerAddress(int v) { maxConnectionsPerSecondPerAddress = v; return this; }
        public Builder maxClientIdLength(int v) { maxClientIdLength = v; return this; }
        public Builder maxTopicLength(int v) { maxTopicLength = v; return this; }
        public Builder maxTopicLevels(int v) { maxTopicLevels = v; return this; }
        public Builder sysIntervalSeconds(int v) { sysIntervalSeconds = v; return this; }
        public Builder maxSessionExpirySeconds(long v) { maxSessionExpirySeconds = v; return this; }
        public Builder maxClientBufferBytes(long v) { maxClientBufferBytes = v; return this; }
        public Builder loginFailureDelayMillis(long v) { loginFailureDelayMillis = v; return this; }
        public Builder disconnectOnDeniedPublish(boolean v) { disconnectOnDeniedPublish = v; return this; }
        public Builder mqtt3SessionExpirySeconds(long v) { mqtt3SessionExpirySeconds = v; return this; }
        public Builder maxSubscriptionsPerClient(int v) { maxSubscriptionsPerClient = v; return this; }
        public Builder maxRetainedMessages(int v) { maxRetainedMessages = v; return this; }
        public Builder maxRetainedBytes(long v) { maxRetainedBytes = v; return this; }
        public Builder maxClientSessions(int v) { maxClientSessions = v; return this; }
        public Builder mqtt3ReceiveMaximum(int v) { mqtt3ReceiveMaximum = v; return this; }
        public Builder maxTrackedTopics(int v) { maxTrackedTopics = v; return this; }
        public Builder warmUpConnections(int v) { warmUpConnections = v; return this; }

        public BrokerConfig build() {
            return new BrokerConfig(listeners, tls, ioThreads, connectTimeoutMillis, maxPacketSize, maxInflightPerClient,
                    maxQueuedPerClient, queueOverflow, queueQos0WhileOffline, topicAliasMaximum, maxKeepAliveSeconds,
                    maxConnections, maxConnectionsPerSecondPerAddress, maxClientIdLength, maxTopicLength, maxTopicLevels,
                    sysIntervalSeconds, maxSessionExpirySeconds, maxClientBufferBytes, loginFailureDelayMillis,
                    mqtt3SessionExpirySeconds, maxSubscriptionsPerClient, maxRetainedMessages, maxRetainedBytes,
                    disconnectOnDeniedPublish, maxClientSessions, mqtt3ReceiveMaximum, maxTrackedTopics, warmUpConnections);
        }
    }
}
