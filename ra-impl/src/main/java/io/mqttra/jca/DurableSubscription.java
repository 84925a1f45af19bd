package io.mqttra.jca;

import io.mqttra.broker.Delivery;
import io.mqttra.broker.PublishedMessage;
import io.mqttra.broker.Subscriber;
import io.mqttra.broker.Subscription;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The broker-side subscription of a durable activation. It stays subscribed while its bean is
 * undeployed and keeps what arrives (up to a bound); when a bean with the same durable name is
 * activated again, the kept messages go to it first. The switch between keeping and forwarding
 * happens under one lock, so no message is lost or doubled at the handover. Kept in memory: it
 * survives redeploying the application, not restarting the server.
 */
final class DurableSubscription implements Subscriber {

    private static final Logger LOG = Logger.getLogger(DurableSubscription.class.getName());

    /** A message and how it was to be delivered. */
    record Kept(PublishedMessage message, Delivery delivery) {
    }

    private final String name;
    private final Subscription subscription;
    private final int maxKept;
    private final long expirySeconds;
    private final ScheduledExecutorService timer;
    private final Runnable onExpiry;
    private final ArrayDeque<Kept> kept = new ArrayDeque<>();
    private EndpointSubscription target;
    private ScheduledFuture<?> expiry;
    private long dropped;

    DurableSubscription(String name, Subscription subscription, int maxKept, long expirySeconds,
                        ScheduledExecutorService timer, Runnable onExpiry) {
        this.name = name;
        this.subscription = subscription;
        this.maxKept = maxKept;
        this.expirySeconds = expirySeconds;
        this.timer = timer;
        this.onExpiry = onExpiry;
    }

    Subscription subscription() {
        return subscription;
    }

    @Override
    public String subscriberId() {
        return "durable subscription " + name;
    }

    @Override
    public synchronized void deliver(PublishedMessage message, Delivery delivery) {
        if (target != null) {
            target.deliver(message, delivery);
        } else if (kept.size() < maxKept) {
            kept.add(new Kept(message, delivery));
        } else if (dropped++ % 1000 == 0) {
            LOG.warning(subscriberId() + " keeps at most " + maxKept + " messages while its bean is away; "
                    + dropped + " dropped so far");
        }
    }

    synchronized boolean isAttached() {
        return target != null;
    }

    /** A bean with this durable name is active: it gets the kept messages first, then everything new. */
    synchronized void attach(EndpointSubscription bean) {
        if (expiry != null) {
            expiry.cancel(false);
            expiry = null;
        }
        target = bean;
        if (!kept.isEmpty()) {
            LOG.info(subscriberId() + " hands " + kept.size() + " message(s) kept while its bean was away to "
                    + bean.subscriberId());
        }
        Kept k;
        while ((k = kept.poll()) != null) {
            bean.deliver(k.message(), k.delivery());
        }
    }

    /** The bean is going: from now on new messages are kept, not forwarded to it. */
    synchronized void detach() {
        target = null;
        if (expirySeconds > 0) {
            expiry = timer.schedule(onExpiry, expirySeconds, TimeUnit.SECONDS);
        }
    }

    /** What the stopped bean had not processed goes first in line, ahead of what was kept meanwhile. */
    synchronized void keepFirst(List<Kept> undelivered) {
        for (int i = undelivered.size() - 1; i >= 0; i--) {
            kept.addFirst(undelivered.get(i));
        }
    }
}
