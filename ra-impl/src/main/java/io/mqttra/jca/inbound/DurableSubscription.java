package io.mqttra.jca.inbound;

import io.mqttra.broker.Delivery;
import io.mqttra.broker.MessageStore;
import io.mqttra.broker.MessageStore.StoredMessage;
import io.mqttra.broker.PersistentSubscriber;
import io.mqttra.broker.PublishedMessage;
import io.mqttra.broker.Subscription;
import io.mqttra.jms.MessageIds;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The broker-side subscription of a durable activation. It stays subscribed while no bean uses it and
 * keeps what arrives (up to a bound); beans that attach under its name get the kept messages first.
 * Several beans may attach at once when the activation is shared: each message goes to one of them.
 * The switch between keeping and forwarding happens under one lock, so no message is lost or doubled
 * at a handover.
 *
 * <p>With a {@link MessageStore}, every QoS 1/2 message is written before the publisher is
 * acknowledged and forgotten when a bean is done with it, so the subscription and its messages
 * survive a restart of the adapter or of the server.
 */
final class DurableSubscription implements PersistentSubscriber {

    private static final Logger LOG = Logger.getLogger(DurableSubscription.class.getName());

    private final String name;
    private final DurableDefinition definition;
    private final Subscription subscription;
    private final int maxKept;
    private final ScheduledExecutorService timer;
    private final Runnable onExpiry;
    private final MessageStore store;
    private final ArrayDeque<StoredMessage> kept = new ArrayDeque<>();
    private final List<EndpointSubscription> targets = new ArrayList<>();
    /** What decides which messages the subscription takes: the last bean that used it. */
    private EndpointSubscription acceptance;
    private int nextTarget;
    private long nextId = 1;
    private ScheduledFuture<?> expiry;
    private long dropped;
    /**
     * Messages that arrived while no bean used the subscription: what {@code maxKept} bounds. Not what it
     * held already, a backlog found in the store at start or handed back by a stopped bean: those were
     * acknowledged to their publishers under a bean, and a restart after a crash with more than
     * {@code maxKept} of them made every new message dropped, after its PUBACK, until the bean was back.
     */
    private int keptWithoutBean;

    /**
     * @param definition what it subscribes to and what else must match for a bean to reuse it (selector, noLocal)
     * @param store where the messages are kept, or {@code null} to keep them in memory only
     */
    DurableSubscription(String name, DurableDefinition definition, int maxKept, ScheduledExecutorService timer,
                        Runnable onExpiry, MessageStore store) {
        this.name = name;
        this.definition = definition.detachedAt(null);
        this.subscription = definition.subscription();
        this.maxKept = maxKept;
        this.timer = timer;
        this.onExpiry = onExpiry;
        this.store = store;
    }

    Subscription subscription() {
        return subscription;
    }

    DurableDefinition definition() {
        return definition;
    }

    @Override
    public String subscriberId() {
        return "durable subscription " + name;
    }

    /** Makes the subscription known to the store (a restart finds it again). */
    synchronized void persist() {
        if (store != null) {
            store.defineQueue(name, definition.detachedAt(targets.isEmpty() ? System.currentTimeMillis() : null).toMap());
        }
    }

    /**
     * Messages found in the store at start: they go first, in their order. One written before message
     * ids were stored gets its id now, so its redeliveries in this run share it.
     */
    synchronized void recover(List<StoredMessage> messages) {
        for (StoredMessage m : messages) {
            kept.add(m.messageId() != null ? m : m.withMessageId(MessageIds.next()));
            nextId = Math.max(nextId, m.id() + 1);
        }
    }

    @Override
    public synchronized CompletableFuture<Void> deliverPersistently(PublishedMessage message, Delivery delivery) {
        if (acceptance != null && !acceptance.accepts(message, delivery)) {
            return null;
        }
        if (targets.isEmpty() && keptWithoutBean >= maxKept) {
            if (dropped++ % 1000 == 0) {
                LOG.warning(subscriberId() + " keeps at most " + maxKept + " messages while no bean uses it; "
                        + dropped + " dropped so far");
            }
            return null;
        }
        boolean persistent = store != null && delivery.qos() > 0;
        StoredMessage m = new StoredMessage(persistent ? nextId++ : 0, message, delivery.qos(), delivery.fromRetainedStore(), 1,
                MessageIds.next());
        CompletableFuture<Void> written = persistent ? store.add(name, m) : null;
        if (targets.isEmpty()) {
            kept.add(m);
            keptWithoutBean++;
        } else {
            nextTarget().enqueue(m);
        }
        return written;
    }

    private EndpointSubscription nextTarget() {
        nextTarget = (nextTarget + 1) % targets.size();
        return targets.get(nextTarget);
    }

    /** A bean stopped with these (or a message was dropped); the store forgets them. */
    void settled(long id) {
        if (store != null && id != 0) {
            store.remove(name, id);
        }
    }

    synchronized boolean isAttached() {
        return !targets.isEmpty();
    }

    /** A bean with this durable name is active: it gets the kept messages first, then its share of everything new. */
    synchronized void attach(EndpointSubscription bean) {
        if (expiry != null) {
            expiry.cancel(false);
            expiry = null;
        }
        bean.settleWith(this::settled);
        boolean first = targets.isEmpty();
        targets.add(bean);
        acceptance = bean;
        keptWithoutBean = 0; // what is kept goes to the bean now
        if (first) {
            persist();
        }
        if (!kept.isEmpty()) {
            LOG.info(subscriberId() + " hands " + kept.size() + " message(s) kept while no bean used it to "
                    + bean.subscriberId());
        }
        StoredMessage k;
        while ((k = kept.poll()) != null) {
            Delivery d = new Delivery(k.qos(), k.fromRetainedStore(), k.fromRetainedStore(), List.of());
            if (bean.accepts(k.message(), d)) {
                bean.enqueue(k);
            } else {
                settled(k.id()); // kept before the bean said what it selects
            }
        }
    }

    /** The bean is going: new messages go to the other beans, or are kept when it was the last. */
    synchronized void detach(EndpointSubscription bean) {
        targets.remove(bean);
        nextTarget = 0;
        if (targets.isEmpty()) {
            persist();
            if (definition.expirySeconds() > 0) {
                expiry = timer.schedule(onExpiry, definition.expirySeconds(), TimeUnit.SECONDS);
            }
        }
    }

    /** Starts the expiry clock of a subscription recovered from the store that no bean has claimed yet. */
    synchronized void expireAfter(long millis) {
        if (targets.isEmpty() && definition.expirySeconds() > 0) {
            expiry = timer.schedule(onExpiry, Math.max(0, millis), TimeUnit.MILLISECONDS);
        }
    }

    /** What a stopped bean had not processed goes to the other beans, or first in line of what is kept. */
    synchronized void keepFirst(List<StoredMessage> undelivered) {
        if (!targets.isEmpty()) {
            undelivered.forEach(m -> nextTarget().enqueue(m));
            return;
        }
        for (int i = undelivered.size() - 1; i >= 0; i--) {
            kept.addFirst(undelivered.get(i));
        }
    }

    // --- for administrators: what is kept while no bean uses the subscription ---

    synchronized List<StoredMessage> keptMessages() {
        return List.copyOf(kept);
    }

    /** Takes the kept message with {@code messageId} out of the queue, without settling it; null when none. */
    synchronized StoredMessage takeKept(String messageId) {
        for (var it = kept.iterator(); it.hasNext(); ) {
            StoredMessage m = it.next();
            if (messageId.equals(m.messageId())) {
                it.remove();
                return m;
            }
        }
        return null;
    }

    /** Forgets every kept message, in the store too; returns how many. */
    synchronized int purgeKept() {
        int n = kept.size();
        kept.forEach(m -> settled(m.id()));
        kept.clear();
        return n;
    }

    /** Stops the expiry clock (the adapter is stopping; the store keeps the subscription). */
    synchronized void close() {
        if (expiry != null) {
            expiry.cancel(false);
            expiry = null;
        }
    }
}
