package io.mqttra.jca;

import io.mqttra.broker.BrokerConfig;
import io.mqttra.broker.BrokerStartException;
import io.mqttra.broker.ClusterBus;
import io.mqttra.broker.ListenerConfig;
import io.mqttra.broker.MessageStore;
import io.mqttra.broker.MessageStore.StoredMessage;
import io.mqttra.broker.MqttBroker;
import io.mqttra.broker.TlsConfig;
import io.mqttra.jca.inbound.ActivationSettings;
import io.mqttra.jca.inbound.DurableSubscriptions;
import io.mqttra.jca.inbound.EndpointSubscription;
import io.mqttra.jca.outbound.BrokerHost;
import io.mqttra.store.MvMessageStore;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.transaction.xa.XAResource;

/**
 * The resource adapter: runs one MQTT broker for as long as the adapter is deployed, and turns each
 * message-driven bean activation into a subscription inside it.
 *
 * <p>The broker's threads are the adapter's own daemon threads rather than {@code WorkManager} works,
 * because they never return (Open Liberty waits for running works before it calls {@link #stop()}).
 *
 * <p>Its properties, with their defaults, are in {@link ResourceAdapterProperties}; here they are checked,
 * each by name, and put to work. Delivery into beans, the durable subscriptions' bookkeeping included, is
 * in {@code io.mqttra.jca.inbound}, and the connection factories are in {@code io.mqttra.jca.outbound}.
 */
public class MqttResourceAdapter extends ResourceAdapterProperties implements ResourceAdapter, BrokerHost {

    private static final Logger LOG = Logger.getLogger(MqttResourceAdapter.class.getName());


    private transient MqttBroker broker;
    private transient BootstrapContext bootstrap;
    private transient ScheduledExecutorService timer;
    private transient MessageStore store;
    private final transient Map<ActivationKey, EndpointSubscription> activations = new ConcurrentHashMap<>();
    private transient DurableSubscriptions durables;
    private transient AdapterSecurity security;
    private transient List<AdapterListener> adapterListeners = List.of();

    /** The JCA contract keys an activation by its factory and spec together. */
    private record ActivationKey(MessageEndpointFactory factory, ActivationSpec spec) {
    }

    @Override
    public void start(BootstrapContext ctx) throws ResourceAdapterInternalException {
        BrokerConfig config = brokerConfig();
        ClusterBus cluster = clusterBus();
        AdapterSecurity checked;
        try {
            checked = AdapterSecurity.of(this, config.listeners(),
                    config.tls() != null && config.tls().clientAuth() != TlsConfig.ClientAuth.NONE, ctx);
        } catch (AdapterSecurity.InvalidProperty e) {
            throw invalid(e.property, e.getMessage());
        }
        MqttBroker starting = new MqttBroker(config, checked.security(), cluster);
        MessageStore opened = null;
        if (!Boolean.FALSE.equals(persistence)) {
            Path directory = effectiveDataDirectory();
            try {
                opened = MvMessageStore.open(directory, Boolean.TRUE.equals(syncWrites));
            } catch (IOException | RuntimeException e) {
                checked.close();
                throw invalid("dataDirectory", "MQTT-RA cannot use its message store in " + directory + ": " + e.getMessage()
                        + " (another server or adapter may be using it; set dataDirectory, or persistence=false)");
            }
        }
        if (opened != null) {
            cluster.keepIn(opened); // persistent sessions and retained messages outlive a restart too
        }
        ScheduledExecutorService redelivery = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mqtt-ra-redelivery");
            t.setDaemon(true);
            return t;
        });
        // what was subscribed before the stop is subscribed again before a client can connect: a QoS 1/2
        // publish acknowledged the moment the listeners are up must reach the durable queues
        DurableSubscriptions recovered = new DurableSubscriptions(starting, opened, redelivery, maxQueuedPerClient);
        recovered.recover();
        recovered.keepDeadLetters(ActivationSettings.DEFAULT_DEAD_LETTER_TOPIC);
        Thread thread = Thread.currentThread();
        ClassLoader caller = thread.getContextClassLoader();
        try {
            // Hazelcast's threads and service look-ups take the adapter's classes, whichever thread the server starts it on
            thread.setContextClassLoader(MqttResourceAdapter.class.getClassLoader());
            starting.start();
        } catch (BrokerStartException e) {
            recovered.close();
            redelivery.shutdownNow();
            if (opened != null) {
                opened.close();
            }
            checked.close();
            throw new ResourceAdapterInternalException("MQTT-RA cannot start: " + e.getMessage()
                    + " (resource adapter property listeners=" + listeners
                    + (cluster.isClustered() ? ", cluster=" + this.cluster + ", clusterMembers=" + clusterMembers : "") + ")", e);
        } finally {
            thread.setContextClassLoader(caller);
        }
        bootstrap = ctx;
        security = checked;
        broker = starting;
        store = opened;
        timer = redelivery;
        durables = recovered;
        LOG.info("MQTT-RA resource adapter started" + (store != null ? "; message store " + effectiveDataDirectory() : ""));
        // with persistence off the adapter keeps nothing on disk, its last configuration included
        StartedConfiguration.logAndKeep(this, store != null ? effectiveDataDirectory() : null);
        adapterListeners = startListeners();
    }

    /** The {@link AdapterListener}s this adapter's class loader offers, told that it started; those that fail are left out. */
    private List<AdapterListener> startListeners() {
        List<AdapterListener> found;
        try {
            found = ServiceLoader.load(AdapterListener.class, AdapterListener.class.getClassLoader()).stream()
                    .map(ServiceLoader.Provider::get).toList();
        } catch (ServiceConfigurationError e) {
            LOG.log(Level.WARNING, "MQTT-RA runs without its adapter listeners (administration): " + e, e);
            return List.of();
        }
        List<AdapterListener> started = new ArrayList<>();
        for (AdapterListener listener : found) {
            try {
                listener.started(this);
                started.add(listener);
            } catch (Exception | LinkageError e) {
                LOG.log(Level.WARNING, "MQTT-RA runs without " + listener.getClass().getName() + ": " + e, e);
            }
        }
        return List.copyOf(started);
    }

    /** Tells each listener, none of which may keep the others from being told. */
    private void tellListeners(Consumer<AdapterListener> event) {
        for (AdapterListener l : adapterListeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "MQTT-RA: " + l.getClass().getName() + " failed: " + e, e);
            }
        }
    }

    /** Where the message store lives: {@code dataDirectory}, else the server's data directory. */
    Path effectiveDataDirectory() {
        if (dataDirectory != null && !dataDirectory.isBlank()) {
            return Path.of(dataDirectory.trim());
        }
        for (String serverDir : new String[] {"jboss.server.data.dir", "server.output.dir"}) {
            String dir = System.getProperty(serverDir);
            if (dir != null && !dir.isBlank()) {
                return Path.of(dir, "mqtt-ra");
            }
        }
        return Path.of(System.getProperty("user.dir"), "mqtt-ra-data");
    }

    /** Checks every property and names the one that is wrong; the deployment fails with that message. */
    BrokerConfig brokerConfig() throws ResourceAdapterInternalException {
        requireRange("ioThreads", ioThreads, 0, 1024);
        requireRange("connectTimeoutSeconds", connectTimeoutSeconds, 1, 3600);
        requireRange("maxPacketSize", maxPacketSize, 16, BrokerConfig.PROTOCOL_MAX_PACKET_SIZE);
        requireRange("maxInflightPerClient", maxInflightPerClient, 1, 65_535);
        requireRange("maxQueuedPerClient", maxQueuedPerClient, 0, Integer.MAX_VALUE);
        requireRange("topicAliasMaximum", topicAliasMaximum, 0, 65_535);
        requireRange("maxKeepAliveSeconds", maxKeepAliveSeconds, 1, 65_535);
        requireRange("maxConnections", maxConnections, 1, Integer.MAX_VALUE);
        requireRange("maxConnectionsPerSecondPerAddress", maxConnectionsPerSecondPerAddress, 0, Integer.MAX_VALUE);
        requireRange("maxClientIdLength", maxClientIdLength, 1, 65_535);
        requireRange("maxTopicLength", maxTopicLength, 1, 65_535);
        requireRange("maxTopicLevels", maxTopicLevels, 1, 65_535);
        requireRange("sysIntervalSeconds", sysIntervalSeconds, 0, 86_400);
        requireRange("loginFailureDelayMillis", loginFailureDelayMillis, 0, 60_000);
        if (mqtt3SessionExpirySeconds == null || mqtt3SessionExpirySeconds < 0 || mqtt3SessionExpirySeconds > 0xFFFF_FFFFL) {
            throw invalid("mqtt3SessionExpirySeconds", "must be between 0 and 4294967295 (never), not " + mqtt3SessionExpirySeconds);
        }
        requireRange("maxSubscriptionsPerClient", maxSubscriptionsPerClient, 1, Integer.MAX_VALUE);
        requireRange("maxRetainedMessages", maxRetainedMessages, 0, Integer.MAX_VALUE);
        if (maxRetainedBytes == null || maxRetainedBytes < 0) {
            throw invalid("maxRetainedBytes", "must be 0 or more, not " + maxRetainedBytes);
        }
        requireRange("maxClientSessions", maxClientSessions, 1, Integer.MAX_VALUE);
        requireRange("mqtt3ReceiveMaximum", mqtt3ReceiveMaximum, 1, 65_535);
        requireRange("maxTrackedTopics", maxTrackedTopics, 0, Integer.MAX_VALUE);
        requireRange("warmUpConnections", warmUpConnections, 0, 100_000);
        if (maxClientBufferBytes == null || maxClientBufferBytes < 1024) {
            throw invalid("maxClientBufferBytes", "must be at least 1024, not " + maxClientBufferBytes);
        }
        if (maxSessionExpirySeconds == null || maxSessionExpirySeconds < 0 || maxSessionExpirySeconds > 0xFFFF_FFFFL) {
            throw invalid("maxSessionExpirySeconds", "must be between 0 and 4294967295 (never), not " + maxSessionExpirySeconds);
        }
        List<ListenerConfig> parsed;
        try {
            parsed = ListenerConfig.parseList(listeners == null ? "" : listeners);
        } catch (IllegalArgumentException e) {
            throw invalid("listeners", e.getMessage());
        }
        TlsConfig tls = null;
        if (parsed.stream().anyMatch(l -> l.transport().isTls())) {
            if (keyStore == null || keyStore.isBlank()) {
                throw invalid("keyStore", "is required by the TLS listener(s) in " + listeners);
            }
            tls = new TlsConfig(keyStore.trim(), keyStorePassword, keyStoreType, blankToNull(trustStore), trustStorePassword,
                    trustStoreType, parseEnum("clientAuth", clientAuth, TlsConfig.ClientAuth.class),
                    List.of(tlsProtocols == null ? new String[0] : tlsProtocols.trim().split("\\s*,\\s*")));
        }
        return BrokerConfig.builder()
                .listeners(parsed)
                .tls(tls)
                .ioThreads(ioThreads)
                .connectTimeoutMillis(connectTimeoutSeconds * 1000L)
                .maxPacketSize(maxPacketSize)
                .maxInflightPerClient(maxInflightPerClient)
                .maxQueuedPerClient(maxQueuedPerClient)
                .queueOverflow(parseEnum("queueOverflow", queueOverflow, BrokerConfig.QueueOverflow.class))
                .queueQos0WhileOffline(Boolean.TRUE.equals(queueQos0WhileOffline))
                .topicAliasMaximum(topicAliasMaximum)
                .maxKeepAliveSeconds(maxKeepAliveSeconds)
                .maxConnections(maxConnections)
                .maxConnectionsPerSecondPerAddress(maxConnectionsPerSecondPerAddress)
                .maxClientIdLength(maxClientIdLength)
                .maxTopicLength(maxTopicLength)
                .maxTopicLevels(maxTopicLevels)
                .sysIntervalSeconds(sysIntervalSeconds)
                .maxSessionExpirySeconds(maxSessionExpirySeconds)
                .maxClientBufferBytes(maxClientBufferBytes)
                .loginFailureDelayMillis(loginFailureDelayMillis)
                .disconnectOnDeniedPublish(Boolean.TRUE.equals(disconnectOnDeniedPublish))
                .mqtt3SessionExpirySeconds(mqtt3SessionExpirySeconds)
                .maxSubscriptionsPerClient(maxSubscriptionsPerClient)
                .maxRetainedMessages(maxRetainedMessages)
                .maxRetainedBytes(maxRetainedBytes)
                .maxClientSessions(maxClientSessions)
                .mqtt3ReceiveMaximum(mqtt3ReceiveMaximum)
                .maxTrackedTopics(maxTrackedTopics)
                .warmUpConnections(warmUpConnections)
                .build();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static <E extends Enum<E>> E parseEnum(String property, String value, Class<E> type)
            throws ResourceAdapterInternalException {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (RuntimeException e) {
            throw invalid(property, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()) + ", not " + value);
        }
    }

    private static void requireRange(String property, Integer value, int min, int max) throws ResourceAdapterInternalException {
        if (value == null || value < min || value > max) {
            throw invalid(property, "must be between " + min + " and " + max + ", not " + value);
        }
    }

    static ResourceAdapterInternalException invalid(String property, String problem) {
        return new ResourceAdapterInternalException("Invalid MQTT-RA resource adapter property '" + property + "': " + problem);
    }

    @Override
    public void stop() {
        tellListeners(AdapterListener::stopping);
        // as a deactivation each: a durable bean's messages stay in its subscription (and store), and what a
        // non-durable bean had queued is counted in the log, when a server stops the adapter before its beans
        List.copyOf(activations.keySet()).forEach(a -> endpointDeactivation(a.factory(), a.spec()));
        if (durables != null) {
            durables.close();
            durables = null;
        }
        if (broker != null) {
            broker.stop();
            broker = null;
        }
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
        if (security != null) {
            security.close();
            security = null;
        }
        adapterListeners = List.of();
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
        ActivationSettings settings = mqttSpec.settings();
        if (settings.shareName() != null) {
            // MQTT clients may join a bean's group only where a topic permission says so
            security.beanShareNames().add(settings.shareName());
        }
        MqttBroker running = broker;
        EndpointSubscription subscription = new EndpointSubscription(factory, settings, bootstrap.getWorkManager(),
                bootstrap.getTransactionSynchronizationRegistry(), timer, running::publish, running.config(),
                running::countDropped);
        if (settings.deadLetterTopic() != null) {
            durables.keepDeadLetters(settings.deadLetterTopic());
        }
        if (subscription.durableName() != null) {
            durables.attach(subscription, settings);
        } else {
            running.subscribe(subscription, subscription.subscription());
        }
        activations.put(new ActivationKey(factory, spec), subscription);
        tellListeners(l -> l.activated(subscription));
        LOG.info("MQTT-RA: message-driven bean " + bean + " subscribed to '" + subscription.subscription().key()
                + "' (QoS " + subscription.subscription().qos() + ")");
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        EndpointSubscription subscription = activations.remove(new ActivationKey(factory, spec));
        if (subscription == null) {
            return;
        }
        DurableSubscriptions durable = durables;
        if (durable == null || !durable.detachAndStop(subscription)) {
            MqttBroker b = broker;
            if (b != null) {
                b.unsubscribe(subscription, subscription.subscription());
            }
            List<StoredMessage> undelivered = subscription.stop();
            if (!undelivered.isEmpty()) {
                LOG.warning("MQTT-RA: message-driven bean " + subscription.beanName() + " deactivated with "
                        + undelivered.size() + " undelivered message(s)");
            }
        }
        tellListeners(l -> l.deactivated(subscription));
        LOG.info("MQTT-RA: message-driven bean " + subscription.beanName()
                + " unsubscribed from '" + subscription.subscription().key() + "'");
    }

    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0];
    }

    /** The running broker, for the adapter's connection factories; {@code null} when stopped. */
    @Override
    public MqttBroker broker() {
        return broker;
    }

    /** The durable subscriptions, dead letters' included; {@code null} when stopped. */
    public DurableSubscriptions durableSubscriptions() {
        return durables;
    }

    /** The beans' activations now. */
    public List<EndpointSubscription> activations() {
        return List.copyOf(activations.values());
    }

}
