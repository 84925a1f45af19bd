package io.mqttra.console;

import io.mqttra.api.management.ActivationMXBean;
import io.mqttra.api.management.BrokerMXBean;
import io.mqttra.api.management.ClientsMXBean;
import io.mqttra.api.management.DeadLettersMXBean;
import io.mqttra.api.management.ManagementNames;
import io.mqttra.api.management.TopicsMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.TreeSet;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The adapter as its MXBeans in the platform MBean server show it: the console's only source of figures.
 * Proxies are made per call because the adapter can be redeployed under the console (its MXBeans go and come
 * back under the same names).
 */
final class ManagedBroker {

    private static final ObjectName ACTIVATIONS = ManagementNames.name(ManagementNames.ACTIVATION_PREFIX + "*");

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    /** Whether an adapter runs (its Broker MXBean is registered). */
    boolean running() {
        return server.isRegistered(ManagementNames.name(ManagementNames.BROKER));
    }

    BrokerMXBean broker() {
        return proxy(ManagementNames.BROKER, BrokerMXBean.class);
    }

    ClientsMXBean clients() {
        return proxy(ManagementNames.CLIENTS, ClientsMXBean.class);
    }

    TopicsMXBean topics() {
        return proxy(ManagementNames.TOPICS, TopicsMXBean.class);
    }

    DeadLettersMXBean deadLetters() {
        return proxy(ManagementNames.DEAD_LETTERS, DeadLettersMXBean.class);
    }

    /** The activation MXBeans of the first adapter, ordered by name. */
    List<ActivationMXBean> activations() {
        return new TreeSet<>(server.queryNames(ACTIVATIONS, null)).stream()
                .map(name -> JMX.newMXBeanProxy(server, name, ActivationMXBean.class))
                .toList();
    }

    private <T> T proxy(String name, Class<T> type) {
        return JMX.newMXBeanProxy(server, ManagementNames.name(name), type);
    }
}
