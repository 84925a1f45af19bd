package io.mqttra.jca.inbound;

import io.mqttra.broker.MessageStore;
import io.mqttra.broker.MessageStore.StoredMessage;
import io.mqttra.broker.MqttBroker;
import io.mqttra.broker.Subscription;
import jakarta.resource.ResourceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The durable subscriptions of one running adapter, by name: recovered from the store at start, created
 * when a durable bean is first activated, handed from bean to bean, and removed when they expire
 * without one. Attaching, expiring and recovering take this object's lock, so a bean never attaches to a
 * subscription that is being removed.
 */
public final class DurableSubscriptions {

    private static final Logger LOG = Logger.getLogger(DurableSubscriptions.class.getName());
    private static final String DEAD_LETTERS_PREFIX = "dead-letters:";

    private final MqttBroker broker;
    private final MessageStore store;
    private final ScheduledExecutorService timer;
    private final int maxKept;
    private final Map<String, DurableSubscription> byName = new ConcurrentHashMap<>();

    /**
     * @param store where subscriptions and their QoS 1/2 messages survive a restart, or {@code null}: memory only
     * @param timer runs the expiry of subscriptions without a bean
     * @param maxKept messages a subscription keeps at most while no bean uses it
     */
    public DurableSubscriptions(MqttBroker broker, MessageStore store, ScheduledExecutorService timer, int maxKept) {
        this.broker = broker;
        this.store = store;
        this.timer = timer;
        this.maxKept = maxKept;
    }

    /**
     * Subscribes the durable subscriptions found in the store again, before any bean is activated, so
     * they keep receiving from the first moment the listeners are up. After a crash the messages that
     * may have been in a bean's hands are marked redelivered.
     */
    public synchronized void recover() {
        if (store == null) {
            return;
        }
        long now = System.currentTimeMillis();
        boolean crashed = store.recoveredAfterCrash();
        int messages = 0;
        for (MessageStore.StoredQueue q : store.queues()) {
            try {
                DurableDefinition stored = DurableDefinition.fromMap(q.definition());
                String name = q.name();
                DurableSubscription durable = new DurableSubscription(name, stored.recovered(), maxKept, timer,
                        () -> expire(name), store);
                List<StoredMessage> kept = new ArrayList<>(q.messages());
                if (crashed) {
                    kept.replaceAll(m -> m.withDeliveryCount(Math.max(2, m.deliveryCount())));
                }
                durable.recover(kept);
                messages += kept.size();
                byName.put(name, durable);
                broker.subscribe(durable, durable.subscription());
                long detachedAt = stored.detachedAt() != null ? stored.detachedAt() : now;
                durable.expireAfter(detachedAt + stored.expirySeconds() * 1000 - now);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "MQTT-RA: the stored durable subscription '" + q.name()
                        + "' cannot be read and is skipped: " + q.definition(), e);
            }
        }
        if (!store.queues().isEmpty()) {
            LOG.info("MQTT-RA recovered " + store.queues().size() + " durable subscription(s) with " + messages
                    + " message(s)" + (crashed ? "; the last run did not stop cleanly, so they are marked redelivered" : ""));
        }
    }

    /** The durable subscription that keeps what goes to a dead-letter topic: {@code dead-letters:<topic>}. */
    public static String deadLetterSubscription(String deadLetterTopic) {
        return DEAD_LETTERS_PREFIX + deadLetterTopic;
    }

    /**
     * Keeps what is published to {@code deadLetterTopic} in a durable subscription of its own, QoS 1,
     * never expiring, bounded like any durable subscription, so that a dead letter does not vanish
     * when nobody is subscribed: a durable bean with {@link #deadLetterSubscription} as its
     * {@code subscriptionName} receives what was kept. Nothing changes when it exists already.
     */
    public synchronized void keepDeadLetters(String deadLetterTopic) {
        String name = deadLetterSubscription(deadLetterTopic);
        if (byName.containsKey(name)) {
            return;
        }
        DurableDefinition kept = new DurableDefinition(deadLetterTopic, null, 1, Subscription.NO_RETAINED, "", false, 0, null);
        DurableSubscription created = new DurableSubscription(name, kept, maxKept, timer, () -> expire(name), store);
        created.persist();
        byName.put(name, created);
        broker.subscribe(created, created.subscription());
        LOG.info("MQTT-RA keeps the dead letters of " + deadLetterTopic + " in the durable subscription '" + name + "'");
    }

    /**
     * Attaches the bean to its durable subscription ({@link EndpointSubscription#durableName()}), creating
     * the subscription the first time.
     *
     * @throws ResourceException when another bean uses the subscription and this one may not share it
     */
    public synchronized void attach(EndpointSubscription bean, ActivationSettings settings) throws ResourceException {
        String name = bean.durableName();
        DurableDefinition wanted = DurableDefinition.of(settings);
        DurableSubscription durable = byName.get(name);
        boolean same = durable != null && durable.definition().sameSubscriptionAs(wanted);
        if (durable != null && !durable.isAttached() && !same) {
            // as in JMS, a durable subscription whose filter, QoS or selector changed starts over
            LOG.info("MQTT-RA: durable subscription '" + name + "' changed from " + durable.definition().describe()
                    + " to " + wanted.describe() + "; the messages kept for the old one are dropped");
            byName.remove(name);
            durable.close();
            broker.unsubscribe(durable, durable.subscription());
            if (store != null) {
                store.dropQueue(name);
            }
            durable = null;
        }
        if (durable == null) {
            DurableSubscription created = new DurableSubscription(name, wanted, maxKept, timer, () -> expire(name), store);
            created.persist();
            byName.put(name, created);
            broker.subscribe(created, created.subscription());
            durable = created;
        } else if (durable.isAttached() && (bean.subscription().shareGroup() == null || !same)) {
            String beanName = bean.beanName();
            throw new ResourceException("The durable subscription '" + name + "' is in use by another bean; "
                    + beanName + " needs another subscriptionName, or the same shareName, filter, QoS and selector to share it"
                    + " (message-driven bean " + beanName + ")");
        }
        durable.attach(bean);
    }

    /**
     * Detaches a bean that is being deactivated from its durable subscription and stops it; what it had
     * not processed goes to the subscription's other beans, or is kept for the next one.
     *
     * @return false when the bean has no durable subscription here: it was not stopped
     */
    public boolean detachAndStop(EndpointSubscription bean) {
        String name = bean.durableName();
        DurableSubscription durable = name == null ? null : byName.get(name);
        if (durable == null) {
            return false;
        }
        durable.detach(bean); // keeps receiving for the next bean with this name while this one stops
        durable.keepFirst(bean.stop());
        return true;
    }

    private synchronized void expire(String name) {
        DurableSubscription durable = byName.get(name);
        if (durable != null && !durable.isAttached()) {
            byName.remove(name);
            broker.unsubscribe(durable, durable.subscription());
            if (store != null) {
                store.dropQueue(name);
            }
            LOG.info("MQTT-RA: durable subscription '" + name + "' expired without a bean and was removed");
        }
    }

    // --- for administrators ---

    /** The dead-letter topics whose messages are kept ({@link #keepDeadLetters}), in name order. */
    public List<String> deadLetterTopics() {
        return byName.keySet().stream().filter(n -> n.startsWith(DEAD_LETTERS_PREFIX)).sorted()
                .map(n -> n.substring(DEAD_LETTERS_PREFIX.length())).toList();
    }

    /** What the subscription {@code name} keeps while no bean uses it, oldest first; empty when there is no such subscription. */
    public List<StoredMessage> keptMessages(String name) {
        DurableSubscription durable = byName.get(name);
        return durable == null ? List.of() : durable.keptMessages();
    }

    /**
     * Takes one kept message out of subscription {@code name} and hands it to {@code action} (a replay,
     * a deletion). It is forgotten, in the store too, when the action returns, and kept again, first in
     * line, when the action throws.
     *
     * @return false when the subscription keeps no message with that id
     */
    public boolean takeKept(String name, String messageId, Consumer<StoredMessage> action) {
        DurableSubscription durable = byName.get(name);
        StoredMessage m = durable == null ? null : durable.takeKept(messageId);
        if (m == null) {
            return false;
        }
        try {
            action.accept(m);
        } catch (RuntimeException | Error e) {
            durable.keepFirst(List.of(m));
            throw e;
        }
        durable.settled(m.id());
        return true;
    }

    /** Forgets what subscription {@code name} keeps; returns how many messages. */
    public int purgeKept(String name) {
        DurableSubscription durable = byName.get(name);
        return durable == null ? 0 : durable.purgeKept();
    }

    /** Stops the expiry clocks; the adapter is stopping, and the store keeps the subscriptions. */
    public synchronized void close() {
        byName.values().forEach(DurableSubscription::close);
        byName.clear();
    }
}
