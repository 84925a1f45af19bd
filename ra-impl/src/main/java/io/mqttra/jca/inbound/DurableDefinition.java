package io.mqttra.jca.inbound;

import io.mqttra.broker.Subscription;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What defines a durable subscription: enough to subscribe again after a restart, and to tell whether a
 * bean activated under its name still asks for the same subscription. The store keeps it as the string
 * map of {@link #toMap()}; the keys are the on-disk format, so stores written by earlier versions load.
 *
 * @param filter the topic filter
 * @param shareName the shared-subscription group, or {@code null}
 * @param qos the subscription's maximum QoS
 * @param retainHandling what the broker subscription did with retained messages when it was new
 * @param selector the message selector as written, or empty
 * @param noLocal whether it skips what this server's applications published
 * @param expirySeconds how long it is kept without a bean; 0: forever
 * @param detachedAt when the last bean left (epoch ms), or {@code null} while a bean uses it
 */
record DurableDefinition(String filter, String shareName, int qos, int retainHandling, String selector, boolean noLocal,
                         long expirySeconds, Long detachedAt) {

    DurableDefinition {
        Objects.requireNonNull(filter, "filter");
        selector = selector == null ? "" : selector;
    }

    /** The definition a bean's activation asks for. */
    static DurableDefinition of(ActivationSettings settings) {
        Subscription s = settings.subscription();
        return new DurableDefinition(s.filter(), s.shareGroup(), s.qos(), s.retainHandling(), settings.selectorText(),
                settings.noLocal(), settings.subscriptionExpirySeconds(), null);
    }

    /**
     * Reads a stored definition; the keys an early version did not write get that version's meaning.
     *
     * @throws RuntimeException when {@code filter} or {@code qos} is missing or a number does not parse
     */
    static DurableDefinition fromMap(Map<String, String> stored) {
        String detachedAt = stored.get("detachedAt");
        return new DurableDefinition(stored.get("filter"), stored.get("shareName"), Integer.parseInt(stored.get("qos")),
                Integer.parseInt(stored.getOrDefault("retainHandling", String.valueOf(Subscription.SEND_RETAINED))),
                stored.getOrDefault("selector", ""), Boolean.parseBoolean(stored.getOrDefault("noLocal", "false")),
                Long.parseLong(stored.getOrDefault("expirySeconds", "0")),
                detachedAt == null ? null : Long.valueOf(detachedAt));
    }

    /** The form the store keeps. */
    Map<String, String> toMap() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("selector", selector);
        d.put("noLocal", String.valueOf(noLocal));
        d.put("filter", filter);
        if (shareName != null) {
            d.put("shareName", shareName);
        }
        d.put("qos", String.valueOf(qos));
        d.put("retainHandling", String.valueOf(retainHandling));
        d.put("expirySeconds", String.valueOf(expirySeconds));
        if (detachedAt != null) {
            d.put("detachedAt", String.valueOf(detachedAt));
        }
        return d;
    }

    /** The broker subscription it stands for. */
    Subscription subscription() {
        return Subscription.to(filter).sharedBy(shareName).qos(qos).retainHandling(retainHandling).build();
    }

    /**
     * Whether a bean asking for {@code other} may use this subscription and its kept messages. Retain handling
     * only says what the bean gets on its first activation, and the expiry how long it is kept: neither makes
     * another subscription.
     */
    boolean sameSubscriptionAs(DurableDefinition other) {
        return filter.equals(other.filter) && Objects.equals(shareName, other.shareName) && qos == other.qos
                && selector.equals(other.selector) && noLocal == other.noLocal;
    }

    /** A recovered subscription: retained messages went out when it was new, and no bean uses it yet. */
    DurableDefinition recovered() {
        return new DurableDefinition(filter, shareName, qos, Subscription.NO_RETAINED, selector, noLocal, expirySeconds, null);
    }

    DurableDefinition detachedAt(Long at) {
        return new DurableDefinition(filter, shareName, qos, retainHandling, selector, noLocal, expirySeconds, at);
    }

    /** For logs: the subscription and what else decides which messages it takes. */
    String describe() {
        return "'" + subscription().key() + "' (QoS " + qos + ", selector '" + selector + "', noLocal " + noLocal + ")";
    }
}
