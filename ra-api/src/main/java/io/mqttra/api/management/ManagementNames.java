package io.mqttra.api.management;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The ObjectNames of the adapter's MXBeans. One adapter per server, the normal case, registers exactly
 * these. Each further adapter running in the same JVM at the same time adds the key {@code adapter=<n>}
 * (2, 3, ...: the lowest number free when it starts) to all of its names, and logs them.
 */
public final class ManagementNames {

    /** The JMX domain of every MQTT-RA MXBean. */
    public static final String DOMAIN = "io.mqttra";
    /** {@link BrokerMXBean}. */
    public static final String BROKER = DOMAIN + ":type=Broker";
    /** {@link ClientsMXBean}. */
    public static final String CLIENTS = DOMAIN + ":type=Clients";
    /** {@link SubscriptionsMXBean}. */
    public static final String SUBSCRIPTIONS = DOMAIN + ":type=Subscriptions";
    /** {@link RetainedMXBean}. */
    public static final String RETAINED = DOMAIN + ":type=Retained";
    /** {@link TopicsMXBean}. */
    public static final String TOPICS = DOMAIN + ":type=Topics";
    /** {@link DeadLettersMXBean}. */
    public static final String DEAD_LETTERS = DOMAIN + ":type=DeadLetters";
    /** {@link ActivationMXBean}s: {@code io.mqttra:type=Activation,name=<bean class>}. */
    public static final String ACTIVATION_TYPE = "Activation";
    /** The start of an {@link ActivationMXBean}'s name: the bean's name follows, quoted when it must be. */
    public static final String ACTIVATION_PREFIX = DOMAIN + ":type=" + ACTIVATION_TYPE + ",name=";

    private ManagementNames() {
    }

    /**
     * The name of a message-driven bean's activation, {@code io.mqttra:type=Activation,name=<beanName>}. A
     * bean class active twice at once has its second activation under {@code <beanName>#2}, and so on.
     */
    public static ObjectName activation(String beanName) {
        return name(ACTIVATION_PREFIX + quoteIfNeeded(beanName));
    }

    /** {@code name} as an ObjectName; a constant of this class cannot be malformed. */
    public static ObjectName name(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(name + " is not an ObjectName: " + e.getMessage(), e);
        }
    }

    /** A key value as it is, unless it holds a character an unquoted value may not: then quoted. */
    public static String quoteIfNeeded(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (",=:\"*?\n".indexOf(value.charAt(i)) >= 0) {
                return ObjectName.quote(value);
            }
        }
        return value.isEmpty() ? ObjectName.quote(value) : value;
    }
}
