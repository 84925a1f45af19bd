package io.mqttra.jca;

import io.mqttra.broker.BrokerConfig;
import io.mqttra.broker.BrokerStartException;
import io.mqttra.broker.MqttBroker;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;
import javax.transaction.xa.XAResource;

/**
 * The resource adapter: runs one MQTT broker for as long as the adapter is deployed, and turns each
 * message-driven bean activation into a subscription inside it.
 *
 * <p>The broker's threads are the adapter's own daemon threads rather than {@code WorkManager} works,
 * because they never return (Open Liberty waits for running works before it calls {@link #stop()}).
 */
public class MqttResourceAdapter implements ResourceAdapter {

    private static final Logger LOG = Logger.getLogger(MqttResourceAdapter.class.getName());

    private String bindAddress = BrokerConfig.DEFAULT_BIND_ADDRESS;
    private Integer port = BrokerConfig.DEFAULT_PORT;
    private Integer ioThreads = 0;
    private Integer connectTimeoutSeconds = (int) (BrokerConfig.DEFAULT_CONNECT_TIMEOUT_MILLIS / 1000);
    private Integer maxPacketSize = BrokerConfig.DEFAULT_MAX_PACKET_SIZE;
    private Integer maxInflightPerClient = BrokerConfig.DEFAULT_MAX_INFLIGHT;
    private Integer maxQueuedPerClient = BrokerConfig.DEFAULT_MAX_QUEUED;
    private Boolean queueQos0WhileOffline = false;
    private Integer topicAliasMaximum = BrokerConfig.DEFAULT_TOPIC_ALIAS_MAXIMUM;
    private Integer maxKeepAliveSeconds = BrokerConfig.DEFAULT_MAX_KEEP_ALIVE;

    private transient MqttBroker broker;
    private transient BootstrapContext bootstrap;
    private transient ScheduledExecutorService timer;
    private final transient Map<ActivationKey, EndpointSubscription> activations = new ConcurrentHashMap<>();

    /** The JCA contract keys an activation by its factory and spec together. */
    private record ActivationKey(MessageEndpointFactory factory, ActivationSpec spec) {
    }

    @Override
    public void start(BootstrapContext ctx) throws ResourceAdapterInternalException {
        BrokerConfig config = brokerConfig();
        MqttBroker starting = new MqttBroker(config);
        try {
            starting.start();
        } catch (BrokerStartException e) {
            throw new ResourceAdapterInternalException("MQTT-RA cannot start: " + e.getMessage()
                    + " (RA properties bindAddress=" + bindAddress + ", port=" + port + ")", e);
        }
        bootstrap = ctx;
        broker = starting;
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mqtt-ra-redelivery");
            t.setDaemon(true);
            return t;
        });
        LOG.info("MQTT-RA resource adapter started");
    }

    /** Checks every property and names the one that is wrong; the deployment fails with that message. */
    BrokerConfig brokerConfig() throws ResourceAdapterInternalException {
        requireRange("port", port, 0, 65_535);
        requireRange("ioThreads", ioThreads, 0, 1024);
        requireRange("connectTimeoutSeconds", connectTimeoutSeconds, 1, 3600);
        requireRange("maxPacketSize", maxPacketSize, 16, BrokerConfig.PROTOCOL_MAX_PACKET_SIZE);
        requireRange("maxInflightPerClient", maxInflightPerClient, 1, 65_535);
        requireRange("maxQueuedPerClient", maxQueuedPerClient, 0, Integer.MAX_VALUE);
        requireRange("topicAliasMaximum", topicAliasMaximum, 0, 65_535);
        requireRange("maxKeepAliveSeconds", maxKeepAliveSeconds, 1, 65_535);
        if (bindAddress == null || bindAddress.isBlank()) {
            throw invalid("bindAddress", "must not be empty (use 0.0.0.0 for all interfaces)");
        }
        return BrokerConfig.builder()
                .bindAddress(bindAddress.trim())
                .port(port)
                .ioThreads(ioThreads)
                .connectTimeoutMillis(connectTimeoutSeconds * 1000L)
                .maxPacketSize(maxPacketSize)
                .maxInflightPerClient(maxInflightPerClient)
                .maxQueuedPerClient(maxQueuedPerClient)
                .queueQos0WhileOffline(Boolean.TRUE.equals(queueQos0WhileOffline))
                .topicAliasMaximum(topicAliasMaximum)
                .maxKeepAliveSeconds(maxKeepAliveSeconds)
                .build();
    }

    private static void requireRange(String property, Integer value, int min, int max) throws ResourceAdapterInternalException {
        if (value == null || value < min || value > max) {
            throw invalid(property, "must be between " + min + " and " + max + ", not " + value);
        }
    }

    private static ResourceAdapterInternalException invalid(String property, String problem) {
        return new ResourceAdapterInternalException("Invalid MQTT-RA resource adapter property '" + property + "': " + problem);
    }

    @Override
    public void stop() {
        activations.values().forEach(EndpointSubscription::stop);
        activations.clear();
        if (broker != null) {
            broker.stop();
            broker = null;
        }
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        LOG.info("MQTT-RA resource adapter stopped");
    }

    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        if (!(spec instanceof MqttActivationSpec mqttSpec)) {
            throw new NotSupportedException("MQTT-RA cannot activate " + spec);
        }
        String bean = EndpointSubscription.beanName(factory);
        try {
            mqttSpec.validate();
        } catch (InvalidPropertyException e) {
            throw new InvalidPropertyException(e.getMessage() + " (message-driven bean " + bean + ")", e);
        }
        if (broker == null) {
            throw new ResourceAdapterInternalException("MQTT-RA is not started; cannot activate " + bean);
        }
        EndpointSubscription subscription = new EndpointSubscription(factory, mqttSpec, bootstrap.getWorkManager(), timer);
        activations.put(new ActivationKey(factory, spec), subscription);
        broker.subscribe(subscription, subscription.subscription());
        LOG.info("MQTT-RA: message-driven bean " + bean + " subscribed to '" + subscription.subscription().filter()
                + "' (QoS " + subscription.subscription().qos() + ")");
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        EndpointSubscription subscription = activations.remove(new ActivationKey(factory, spec));
        if (subscription != null) {
            MqttBroker b = broker;
            if (b != null) {
                b.unsubscribe(subscription, subscription.subscription());
            }
            subscription.stop();
            LOG.info("MQTT-RA: message-driven bean " + EndpointSubscription.beanName(factory)
                    + " unsubscribed from '" + subscription.subscription().filter() + "'");
        }
    }

    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0];
    }

    /** The running broker, for the adapter's other components; {@code null} when stopped. */
    MqttBroker broker() {
        return broker;
    }

    public String getBindAddress() {
        return bindAddress;
    }

    public void setBindAddress(String bindAddress) {
        this.bindAddress = bindAddress;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
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

    /** The JCA specification asks a resource adapter bean to compare by its configuration. */
    @Override
    public boolean equals(Object o) {
        return o instanceof MqttResourceAdapter other
                && Objects.equals(bindAddress, other.bindAddress) && Objects.equals(port, other.port)
                && Objects.equals(ioThreads, other.ioThreads)
                && Objects.equals(connectTimeoutSeconds, other.connectTimeoutSeconds)
                && Objects.equals(maxPacketSize, other.maxPacketSize)
                && Objects.equals(maxInflightPerClient, other.maxInflightPerClient)
                && Objects.equals(maxQueuedPerClient, other.maxQueuedPerClient)
                && Objects.equals(queueQos0WhileOffline, other.queueQos0WhileOffline)
                && Objects.equals(topicAliasMaximum, other.topicAliasMaximum)
                && Objects.equals(maxKeepAliveSeconds, other.maxKeepAliveSeconds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bindAddress, port, ioThreads, connectTimeoutSeconds, maxPacketSize, maxInflightPerClient,
                maxQueuedPerClient, queueQos0WhileOffline, topicAliasMaximum, maxKeepAliveSeconds);
    }
}
