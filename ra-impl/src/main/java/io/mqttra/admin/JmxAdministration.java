package io.mqttra.admin;

import io.mqttra.api.management.ActivationMXBean;
import io.mqttra.api.management.BrokerMXBean;
import io.mqttra.api.management.ClientsMXBean;
import io.mqttra.api.management.DeadLettersMXBean;
import io.mqttra.api.management.ManagementNames;
import io.mqttra.api.management.RetainedMXBean;
import io.mqttra.api.management.SubscriptionsMXBean;
import io.mqttra.api.management.TopicsMXBean;
import io.mqttra.broker.MqttBroker;
import io.mqttra.jca.AdapterListener;
import io.mqttra.jca.MqttResourceAdapter;
import io.mqttra.jca.inbound.EndpointSubscription;
import java.lang.management.ManagementFactory;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The adapter's MXBeans in the platform MBean server, from the adapter's start to its stop, and one
 * per active bean. Found by the adapter as an {@link AdapterListener} (META-INF/services); a new
 * instance for each start, so a redeployed adapter registers afresh what its predecessor unregistered.
 */
public final class JmxAdministration implements AdapterListener {

    private static final Logger LOG = Logger.getLogger(JmxAdministration.class.getName());
    /** The interval the Broker MXBean's rates are averaged over. */
    static final int RATE_INTERVAL_SECONDS = 5;

    private final Map<EndpointSubscription, ObjectName> activations = new IdentityHashMap<>();
    private MBeanRegistrations registrations;
    private TrafficRates rates;

    @Override
    public synchronized void started(MqttResourceAdapter adapter) throws JMException {
        if (!adapter.registersMXBeans()) {
            LOG.info("MQTT-RA MXBeans are not registered (resource adapter property managementEnabled=false)");
            return;
        }
        MqttBroker broker = adapter.broker();
        rates = new TrafficRates(broker.stats(), RATE_INTERVAL_SECONDS);
        try {
            registrations = MBeanRegistrations.claim(ManagementFactory.getPlatformMBeanServer(),
                    new NamedOperations(new BrokerBean(broker, rates), BrokerMXBean.class, Map.of()));
            registrations.register(ManagementNames.CLIENTS, new NamedOperations(new ClientsBean(broker), ClientsMXBean.class,
                    Map.of("list", new String[] {"match", "connectedOnly", "offset", "limit"},
                            "details", new String[] {"clientId"},
                            "disconnect", new String[] {"clientId"},
                            "deleteSession", new String[] {"clientId"})));
            registrations.register(ManagementNames.SUBSCRIPTIONS, new NamedOperations(new SubscriptionsBean(broker),
                    SubscriptionsMXBean.class, Map.of("find", new String[] {"filter", "offset", "limit"},
                            "count", new String[] {"filter"})));
            registrations.register(ManagementNames.RETAINED, new NamedOperations(new RetainedBean(broker.retained()),
                    RetainedMXBean.class, Map.of("find", new String[] {"filter", "limit"},
                            "count", new String[] {"filter"},
                            "delete", new String[] {"topic"},
                            "deleteMatching", new String[] {"filter"})));
            registrations.register(ManagementNames.TOPICS, new NamedOperations(new TopicsBean(broker.topicStatistics()),
                    TopicsMXBean.class, Map.of("list", new String[] {"filter", "offset", "limit"},
                            "count", new String[] {"filter"},
                            "children", new String[] {"path", "offset", "limit"})));
            registrations.register(ManagementNames.DEAD_LETTERS, new NamedOperations(
                    new DeadLettersBean(adapter.durableSubscriptions(), broker), DeadLettersMXBean.class,
                    Map.of("list", new String[] {"deadLetterTopic", "offset", "limit"},
                            "replay", new String[] {"messageId"},
                            "replayAll", new String[] {"deadLetterTopic"},
                            "delete", new String[] {"messageId"},
                            "purge", new String[] {"deadLetterTopic"})));
            for (EndpointSubscription a : adapter.activations()) {
                register(a);
            }
        } catch (JMException | RuntimeException e) {
            stopping();
            throw e;
        }
        LOG.info("MQTT-RA MXBeans registered: " + registrations.names());
    }

    @Override
    public synchronized void activated(EndpointSubscription activation) {
        if (registrations == null || activations.containsKey(activation)) {
            return;
        }
        try {
            register(activation);
        } catch (JMException e) {
            LOG.log(Level.WARNING, "MQTT-RA could not register the MXBean of message-driven bean "
                    + activation.beanName() + ": " + e, e);
        }
    }

    private void register(EndpointSubscription activation) throws JMException {
        ObjectName name = registrations.registerActivation(activation.beanName(),
                new NamedOperations(new ActivationBean(activation), ActivationMXBean.class, Map.of()));
        activations.put(activation, name);
    }

    @Override
    public synchronized void deactivated(EndpointSubscription activation) {
        ObjectName name = activations.remove(activation);
        if (name != null && registrations != null) {
            registrations.unregister(name);
        }
    }

    @Override
    public synchronized void stopping() {
        activations.clear();
        if (registrations != null) {
            registrations.close();
            registrations = null;
        }
        if (rates != null) {
            rates.close();
            rates = null;
        }
    }
}
