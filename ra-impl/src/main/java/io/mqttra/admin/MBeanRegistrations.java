package io.mqttra.admin;

import io.mqttra.api.management.ManagementNames;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * One adapter's MXBeans in an MBean server, and the rule that keeps two adapters in one JVM apart: the
 * first takes the plain names of {@link ManagementNames}; one that finds the Broker name taken adds
 * {@code adapter=2} (3, ...) to each of its names. The Broker registration is the claim, so two adapters
 * starting at once cannot both take a number. Everything registered is unregistered by {@link #close()}.
 */
final class MBeanRegistrations implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MBeanRegistrations.class.getName());
    private static final int MAX_ADAPTERS = 1000;

    private final MBeanServer server;
    /** {@code ""} or {@code ",adapter=<n>"}. */
    private final String adapterKey;
    private final List<ObjectName> registered = new ArrayList<>();

    private MBeanRegistrations(MBeanServer server, String adapterKey, ObjectName broker) {
        this.server = server;
        this.adapterKey = adapterKey;
        registered.add(broker);
    }

    /** Registers {@code broker} under the first free Broker name, which decides this adapter's other names. */
    static MBeanRegistrations claim(MBeanServer server, Object broker) throws JMException {
        for (int n = 1; n <= MAX_ADAPTERS; n++) {
            String key = n == 1 ? "" : ",adapter=" + n;
            ObjectName name = ManagementNames.name(ManagementNames.BROKER + key);
            try {
                server.registerMBean(broker, name);
                return new MBeanRegistrations(server, key, name);
            } catch (InstanceAlreadyExistsException taken) {
                // another adapter runs in this JVM: try the next number
            }
        }
        throw new InstanceAlreadyExistsException(MAX_ADAPTERS + " MQTT-RA adapters are registered already");
    }

    /** Registers {@code mbean} as {@code name} with this adapter's key. */
    synchronized ObjectName register(String name, Object mbean) throws JMException {
        ObjectName withKey = ManagementNames.name(name + adapterKey);
        server.registerMBean(mbean, withKey);
        registered.add(withKey);
        return withKey;
    }

    /** Registers an activation under its bean's name, or {@code <bean>#2} (3, ...) when the bean is active twice. */
    synchronized ObjectName registerActivation(String beanName, Object mbean) throws JMException {
        for (int n = 1; ; n++) {
            String name = n == 1 ? beanName : beanName + "#" + n;
            ObjectName withKey = ManagementNames.name(ManagementNames.ACTIVATION_PREFIX + ManagementNames.quoteIfNeeded(name)
                    + adapterKey);
            try {
                server.registerMBean(mbean, withKey);
                registered.add(withKey);
                return withKey;
            } catch (InstanceAlreadyExistsException taken) {
                if (n >= MAX_ADAPTERS) {
                    throw taken;
                }
            }
        }
    }

    synchronized void unregister(ObjectName name) {
        if (registered.remove(name)) {
            unregisterQuietly(name);
        }
    }

    synchronized List<ObjectName> names() {
        return List.copyOf(registered);
    }

    /** Unregisters everything, the Broker last, so that its name is not given to another adapter before the rest is gone. */
    @Override
    public synchronized void close() {
        for (int i = registered.size() - 1; i >= 0; i--) {
            unregisterQuietly(registered.get(i));
        }
        registered.clear();
    }

    private void unregisterQuietly(ObjectName name) {
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException gone) {
            // someone unregistered it for us
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.WARNING, "MQTT-RA could not unregister " + name + ": " + e, e);
        }
    }
}
