package io.mqttra.jca;

import io.mqttra.broker.BrokerConfig;
import io.mqttra.broker.TlsConfig;
import java.util.Arrays;

/**
 * The resource adapter's configuration: a JavaBean property for each {@code config-property} of
 * {@code ra.xml}, with its default, so that both servers' consoles and CLIs can set it. Kept apart from
 * {@link MqttResourceAdapter}, which checks them and runs the broker with them, because the JCA contract
 * wants a getter and a setter for every property and they would otherwise bury the adapter's lifecycle.
 * The fields are the package's own: the adapter reads them when it checks them.
 */
public abstract class ResourceAdapterProperties extends ClusterProperties {

    String listeners = "tcp://" + BrokerConfig.DEFAULT_BIND_ADDRESS + ":" + BrokerConfig.DEFAULT_PORT;
    String keyStore;
    String keyStorePassword;
    String keyStoreType = "PKCS12";
    String trustStore;
    String trustStorePassword;
    String trustStoreType = "PKCS12";
    String clientAuth = TlsConfig.ClientAuth.NONE.name();
    String tlsProtocols = String.join(",", TlsConfig.DEFAULT_PROTOCOLS);
    Integer ioThreads = 0;
    Integer connectTimeoutSeconds = (int) (BrokerConfig.DEFAULT_CONNECT_TIMEOUT_MILLIS / 1000);
    Integer maxPacketSize = BrokerConfig.DEFAULT_MAX_PACKET_SIZE;
    Integer maxInflightPerClient = BrokerConfig.DEFAULT_MAX_INFLIGHT;
    Integer maxQueuedPerClient = BrokerConfig.DEFAULT_MAX_QUEUED;
    String queueOverflow = BrokerConfig.QueueOverflow.DROP_NEW.name();
    Boolean queueQos0WhileOffline = false;
    Integer topicAliasMaximum = BrokerConfig.DEFAULT_TOPIC_ALIAS_MAXIMUM;
    Integer maxKeepAliveSeconds = BrokerConfig.DEFAULT_MAX_KEEP_ALIVE;
    Integer maxConnections = BrokerConfig.DEFAULT_MAX_CONNECTIONS;
    Integer maxConnectionsPerSecondPerAddress = BrokerConfig.DEFAULT_MAX_CONNECTION_RATE;
    Integer maxClientIdLength = BrokerConfig.DEFAULT_MAX_CLIENT_ID_LENGTH;
    Integer maxTopicLength = BrokerConfig.DEFAULT_MAX_TOPIC_LENGTH;
    Integer maxTopicLevels = BrokerConfig.DEFAULT_MAX_TOPIC_LEVELS;
    Integer sysIntervalSeconds = BrokerConfig.DEFAULT_SYS_INTERVAL;
    Long maxSessionExpirySeconds = 0xFFFF_FFFFL;
    Long maxClientBufferBytes = BrokerConfig.DEFAULT_MAX_CLIENT_BUFFER_BYTES;
    Boolean persistence = true;
    String dataDirectory = "";
    Boolean syncWrites = false;
    Long mqtt3SessionExpirySeconds = BrokerConfig.DEFAULT_MQTT3_SESSION_EXPIRY_SECONDS;
    Integer maxSubscriptionsPerClient = BrokerConfig.DEFAULT_MAX_SUBSCRIPTIONS_PER_CLIENT;
    Integer maxRetainedMessages = BrokerConfig.DEFAULT_MAX_RETAINED_MESSAGES;
    Long maxRetainedBytes = BrokerConfig.DEFAULT_MAX_RETAINED_BYTES;
    Integer maxClientSessions = BrokerConfig.DEFAULT_MAX_CLIENT_SESSIONS;
    Integer mqtt3ReceiveMaximum = BrokerConfig.DEFAULT_MQTT3_RECEIVE_MAXIMUM;
    Boolean managementEnabled = true;
    Integer maxTrackedTopics = BrokerConfig.DEFAULT_MAX_TRACKED_TOPICS;
    Integer warmUpConnections = BrokerConfig.DEFAULT_WARM_UP_CONNECTIONS;

    public String getListeners() {
        return listeners;
    }

    public void setListeners(String listeners) {
        this.listeners = listeners;
    }

    public String getKeyStore() {
        return keyStore;
    }

    public void setKeyStore(String keyStore) {
        this.keyStore = keyStore;
    }

    public String getKeyStorePassword() {
        return keyStorePassword;
    }

    public void setKeyStorePassword(String keyStorePassword) {
        this.keyStorePassword = keyStorePassword;
    }

    public String getKeyStoreType() {
        return keyStoreType;
    }

    public void setKeyStoreType(String keyStoreType) {
        this.keyStoreType = keyStoreType;
    }

    public String getTrustStore() {
        return trustStore;
    }

    public void setTrustStore(String trustStore) {
        this.trustStore = trustStore;
    }

    public String getTrustStorePassword() {
        return trustStorePassword;
    }

    public void setTrustStorePassword(String trustStorePassword) {
        this.trustStorePassword = trustStorePassword;
    }

    public String getTrustStoreType() {
        return trustStoreType;
    }

    public void setTrustStoreType(String trustStoreType) {
        this.trustStoreType = trustStoreType;
    }

    public String getClientAuth() {
        return clientAuth;
    }

    public void setClientAuth(String clientAuth) {
        this.clientAuth = clientAuth;
    }

    public String getTlsProtocols() {
        return tlsProtocols;
    }

    public void setTlsProtocols(String tlsProtocols) {
        this.tlsProtocols = tlsProtocols;
    }

    public Integer getIoThreads() {
        return ioThreads;
    }

    public void setIoThreads(Integer ioThreads) {
        this.ioThreads = ioThreads;
    }

    public Integer getConnectTimeoutSeconds() {
        return connectTimeoutSeconds;
    }

    public void setConnectTimeoutSeconds(Integer connectTimeoutSeconds) {
        this.connectTimeoutSeconds = connectTimeoutSeconds;
    }

    public Integer getMaxPacketSize() {
        return maxPacketSize;
    }

    public void setMaxPacketSize(Integer maxPacketSize) {
        this.maxPacketSize = maxPacketSize;
    }

    public Integer getMaxInflightPerClient() {
        return maxInflightPerClient;
    }

    public void setMaxInflightPerClient(Integer maxInflightPerClient) {
        this.maxInflightPerClient = maxInflightPerClient;
    }

    public Integer getMaxQueuedPerClient() {
        return maxQueuedPerClient;
    }

    public void setMaxQueuedPerClient(Integer maxQueuedPerClient) {
        this.maxQueuedPerClient = maxQueuedPerClient;
    }

    public String getQueueOverflow() {
        return queueOverflow;
    }

    public void setQueueOverflow(String queueOverflow) {
        this.queueOverflow = queueOverflow;
    }

    public Boolean getQueueQos0WhileOffline() {
        return queueQos0WhileOffline;
    }

    public void setQueueQos0WhileOffline(Boolean queueQos0WhileOffline) {
        this.queueQos0WhileOffline = queueQos0WhileOffline;
    }

    public Integer getTopicAliasMaximum() {
        return topicAliasMaximum;
    }

    public void setTopicAliasMaximum(Integer topicAliasMaximum) {
        this.topicAliasMaximum = topicAliasMaximum;
    }

    public Integer getMaxKeepAliveSeconds() {
        return maxKeepAliveSeconds;
    }

    public void setMaxKeepAliveSeconds(Integer maxKeepAliveSeconds) {
        this.maxKeepAliveSeconds = maxKeepAliveSeconds;
    }

    public Integer getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(Integer maxConnections) {
        this.maxConnections = maxConnections;
    }

    public Integer getMaxConnectionsPerSecondPerAddress() {
        return maxConnectionsPerSecondPerAddress;
    }

    public void setMaxConnectionsPerSecondPerAddress(Integer maxConnectionsPerSecondPerAddress) {
        this.maxConnectionsPerSecondPerAddress = maxConnectionsPerSecondPerAddress;
    }

    public Integer getMaxClientIdLength() {
        return maxClientIdLength;
    }

    public void setMaxClientIdLength(Integer maxClientIdLength) {
        this.maxClientIdLength = maxClientIdLength;
    }

    public Integer getMaxTopicLength() {
        return maxTopicLength;
    }

    public void setMaxTopicLength(Integer maxTopicLength) {
        this.maxTopicLength = maxTopicLength;
    }

    public Integer getMaxTopicLevels() {
        return maxTopicLevels;
    }

    public void setMaxTopicLevels(Integer maxTopicLevels) {
        this.maxTopicLevels = maxTopicLevels;
    }

    public Integer getSysIntervalSeconds() {
        return sysIntervalSeconds;
    }

    public void setSysIntervalSeconds(Integer sysIntervalSeconds) {
        this.sysIntervalSeconds = sysIntervalSeconds;
    }

    public Long getMaxClientBufferBytes() {
        return maxClientBufferBytes;
    }

    public void setMaxClientBufferBytes(Long maxClientBufferBytes) {
        this.maxClientBufferBytes = maxClientBufferBytes;
    }

    public Long getMaxSessionExpirySeconds() {
        return maxSessionExpirySeconds;
    }

    public void setMaxSessionExpirySeconds(Long maxSessionExpirySeconds) {
        this.maxSessionExpirySeconds = maxSessionExpirySeconds;
    }

    public Boolean getPersistence() {
        return persistence;
    }

    public void setPersistence(Boolean persistence) {
        this.persistence = persistence;
    }

    public String getDataDirectory() {
        return dataDirectory;
    }

    public void setDataDirectory(String dataDirectory) {
        this.dataDirectory = dataDirectory;
    }

    public Boolean getSyncWrites() {
        return syncWrites;
    }

    public void setSyncWrites(Boolean syncWrites) {
        this.syncWrites = syncWrites;
    }

    public Long getMqtt3SessionExpirySeconds() {
        return mqtt3SessionExpirySeconds;
    }

    public void setMqtt3SessionExpirySeconds(Long mqtt3SessionExpirySeconds) {
        this.mqtt3SessionExpirySeconds = mqtt3SessionExpirySeconds;
    }

    public Integer getMaxSubscriptionsPerClient() {
        return maxSubscriptionsPerClient;
    }

    public void setMaxSubscriptionsPerClient(Integer maxSubscriptionsPerClient) {
        this.maxSubscriptionsPerClient = maxSubscriptionsPerClient;
    }

    public Integer getMaxRetainedMessages() {
        return maxRetainedMessages;
    }

    public void setMaxRetainedMessages(Integer maxRetainedMessages) {
        this.maxRetainedMessages = maxRetainedMessages;
    }

    public Long getMaxRetainedBytes() {
        return maxRetainedBytes;
    }

    public void setMaxRetainedBytes(Long maxRetainedBytes) {
        this.maxRetainedBytes = maxRetainedBytes;
    }

    public Integer getMaxClientSessions() {
        return maxClientSessions;
    }

    public void setMaxClientSessions(Integer maxClientSessions) {
        this.maxClientSessions = maxClientSessions;
    }

    public Integer getMqtt3ReceiveMaximum() {
        return mqtt3ReceiveMaximum;
    }

    public void setMqtt3ReceiveMaximum(Integer mqtt3ReceiveMaximum) {
        this.mqtt3ReceiveMaximum = mqtt3ReceiveMaximum;
    }

    public Boolean getManagementEnabled() {
        return managementEnabled;
    }

    /** Whether the adapter registers its MXBeans (io.mqttra:type=...) in the platform MBean server. */
    public void setManagementEnabled(Boolean managementEnabled) {
        this.managementEnabled = managementEnabled;
    }

    public Integer getMaxTrackedTopics() {
        return maxTrackedTopics;
    }

    /** Topics whose message count and latest payload the Topics MXBean shows; 0 turns the statistics off. */
    public void setMaxTrackedTopics(Integer maxTrackedTopics) {
        this.maxTrackedTopics = maxTrackedTopics;
    }

    public Integer getWarmUpConnections() {
        return warmUpConnections;
    }

    /** Clients run through a throwaway broker at start, before the listeners open, so that the first devices meet compiled code; 0: none. */
    public void setWarmUpConnections(Integer warmUpConnections) {
        this.warmUpConnections = warmUpConnections;
    }

    /** Whether the MXBeans are to be registered: {@code managementEnabled}, true unless set to false (not a bean property). */
    public boolean registersMXBeans() {
        return !Boolean.FALSE.equals(managementEnabled);
    }

    /** The JCA specification asks a resource adapter bean to compare by its configuration. */
    private Object[] configuration() {
        return new Object[] {listeners, keyStore, keyStorePassword, keyStoreType, trustStore, trustStorePassword, trustStoreType, clientAuth, tlsProtocols, ioThreads, connectTimeoutSeconds, maxPacketSize, maxInflightPerClient, maxQueuedPerClient, queueOverflow, queueQos0WhileOffline, topicAliasMaximum, maxKeepAliveSeconds, maxConnections, maxConnectionsPerSecondPerAddress, maxClientIdLength, maxTopicLength, maxTopicLevels, sysIntervalSeconds, maxSessionExpirySeconds, maxClientBufferBytes, persistence, dataDirectory, syncWrites,
                authentication, jaasConfiguration, certificateUserName, certificatePasswordCheck, aclFile, aclRules, sysTopicsRole, loginFailureDelayMillis, maxConcurrentLogins, disconnectOnDeniedPublish,
                mqtt3SessionExpirySeconds, maxSubscriptionsPerClient, maxRetainedMessages, maxRetainedBytes, maxClientSessions,
                mqtt3ReceiveMaximum, managementEnabled, maxTrackedTopics, warmUpConnections};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourceAdapterProperties other && Arrays.equals(configuration(), other.configuration());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(configuration());
    }
}
