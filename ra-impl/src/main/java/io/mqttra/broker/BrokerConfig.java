package io.mqttra.broker;

/**
 * Settings of one broker instance. Immutable; build with {@link #builder()}. Values are checked by
 * the code that reads them from users (the resource adapter, {@link BrokerMain}), which can name the
 * property; this class only rejects values that cannot work at all.
 *
 * @param bindAddress address the TCP listener binds to ({@code 0.0.0.0} for all interfaces)
 * @param port TCP port of the listener; 0 picks a free port (tests)
 * @param ioThreads number of Netty I/O threads; 0 means one per available processor
 * @param connectTimeoutMillis a connection that has not sent CONNECT within this time is closed
 * @param maxPacketSize largest MQTT packet accepted, in bytes (fixed header included)
 * @param maxInflightPerClient unacknowledged QoS 1/2 messages sent to one client before further ones wait
 * @param maxQueuedPerClient messages kept per client while it is offline or its in-flight window is
 *     full; beyond this, new messages for that client are dropped and counted
 * @param queueQos0WhileOffline whether persistent sessions also queue QoS 0 messages while offline
 * @param topicAliasMaximum topic aliases a client may use towards the broker (MQTT 5; 0 disables them)
 * @param maxKeepAliveSeconds the longest keep-alive the broker accepts; MQTT 5 clients asking for more
 *     (or for none) are told this one as Server Keep Alive
 */
public record BrokerConfig(
        String bindAddress,
        int port,
        int ioThreads,
        long connectTimeoutMillis,
        int maxPacketSize,
        int maxInflightPerClient,
        int maxQueuedPerClient,
        boolean queueQos0WhileOffline,
        int topicAliasMaximum,
        int maxKeepAliveSeconds) {

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
    /** The largest packet the MQTT remaining-length field can describe (MQTT 3.1.1 section 2.2.3). */
    public static final int PROTOCOL_MAX_PACKET_SIZE = 268_435_455 + 5;

    public BrokerConfig {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, not " + port);
        }
        if (maxPacketSize < 16 || maxPacketSize > PROTOCOL_MAX_PACKET_SIZE) {
            throw new IllegalArgumentException("maxPacketSize must be between 16 and " + PROTOCOL_MAX_PACKET_SIZE);
        }
        if (connectTimeoutMillis <= 0 || ioThreads < 0 || maxInflightPerClient < 1 || maxInflightPerClient > 65_535
                || maxQueuedPerClient < 0 || topicAliasMaximum < 0 || topicAliasMaximum > 65_535
                || maxKeepAliveSeconds < 1 || maxKeepAliveSeconds > 65_535) {
            throw new IllegalArgumentException("invalid broker limits: " + this);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String bindAddress = DEFAULT_BIND_ADDRESS;
        private int port = DEFAULT_PORT;
        private int ioThreads;
        private long connectTimeoutMillis = DEFAULT_CONNECT_TIMEOUT_MILLIS;
        private int maxPacketSize = DEFAULT_MAX_PACKET_SIZE;
        private int maxInflightPerClient = DEFAULT_MAX_INFLIGHT;
        private int maxQueuedPerClient = DEFAULT_MAX_QUEUED;
        private boolean queueQos0WhileOffline;
        private int topicAliasMaximum = DEFAULT_TOPIC_ALIAS_MAXIMUM;
        private int maxKeepAliveSeconds = DEFAULT_MAX_KEEP_ALIVE;

        public Builder bindAddress(String v) { bindAddress = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder ioThreads(int v) { ioThreads = v; return this; }
        public Builder connectTimeoutMillis(long v) { connectTimeoutMillis = v; return this; }
        public Builder maxPacketSize(int v) { maxPacketSize = v; return this; }
        public Builder maxInflightPerClient(int v) { maxInflightPerClient = v; return this; }
        public Builder maxQueuedPerClient(int v) { maxQueuedPerClient = v; return this; }
        public Builder queueQos0WhileOffline(boolean v) { queueQos0WhileOffline = v; return this; }
        public Builder topicAliasMaximum(int v) { topicAliasMaximum = v; return this; }
        public Builder maxKeepAliveSeconds(int v) { maxKeepAliveSeconds = v; return this; }

        public BrokerConfig build() {
            return new BrokerConfig(bindAddress, port, ioThreads, connectTimeoutMillis, maxPacketSize,
                    maxInflightPerClient, maxQueuedPerClient, queueQos0WhileOffline, topicAliasMaximum, maxKeepAliveSeconds);
        }
    }
}
