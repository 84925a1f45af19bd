package io.mqttra.jca;

import io.mqttra.broker.Delivery;
import io.mqttra.broker.PublishedMessage;
import io.mqttra.broker.Subscriber;
import io.mqttra.broker.Subscription;
import io.mqttra.jms.InboundMessageMapper;
import io.mqttra.jms.InboundMessageMapper.BodyType;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One message-driven bean's subscription inside the broker. The broker hands it messages on I/O
 * threads; it queues them and delivers them to bean instances on the server's {@link WorkManager}
 * threads, at most {@code maxSessions} at a time. A delivery that fails (the bean threw, or its
 * transaction rolled back with an exception) is redelivered up to {@code maxRedeliveries} times.
 */
final class EndpointSubscription implements Subscriber {

    private static final Logger LOG = Logger.getLogger(EndpointSubscription.class.getName());
    static final long RETRY_DELAY_MILLIS = 1000;
    private static final long STOP_TIMEOUT_MILLIS = 30_000;

    private record Pending(PublishedMessage message, int qos, boolean fromRetainedStore, int deliveryCount) {
    }

    private final MessageEndpointFactory factory;
    private final String beanName;
    private final Subscription subscription;
    private final int maxSessions;
    private final int maxRedeliveries;
    private final BodyType bodyType;
    private final WorkManager workManager;
    private final ScheduledExecutorService timer;
    private final ConcurrentLinkedDeque<Pending> queue = new ConcurrentLinkedDeque<>();
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean stopped;
    /** While the bean is unavailable, no new delivery work starts before this time (epoch ms). */
    private volatile long pausedUntil;

    EndpointSubscription(MessageEndpointFactory factory, MqttActivationSpec spec, WorkManager workManager,
                         ScheduledExecutorService timer) {
        this.factory = factory;
        this.beanName = beanName(factory);
        this.subscription = Subscription.of(spec.effectiveTopicFilter(), spec.getQos());
        this.maxSessions = spec.getMaxSessions();
        this.maxRedeliveries = spec.getMaxRedeliveries();
        this.bodyType = spec.effectiveBodyType();
        this.workManager = workManager;
        this.timer = timer;
    }

    /** The bean class when the server tells it (its activation name is server-specific and often cryptic). */
    static String beanName(MessageEndpointFactory factory) {
        Class<?> bean = factory.getEndpointClass();
        return bean != null ? bean.getName() : factory.getActivationName();
    }

    Subscription subscription() {
        return subscription;
    }

    @Override
    public String subscriberId() {
        return "MDB " + beanName;
    }

    @Override
    public void deliver(PublishedMessage message, Delivery delivery) {
        if (stopped) {
            return;
        }
        queue.add(new Pending(message, delivery.qos(), delivery.fromRetainedStore(), 1));
        dispatch();
    }

    /** Starts delivery work while there are messages and fewer than maxSessions deliveries running. */
    private void dispatch() {
        if (System.currentTimeMillis() < pausedUntil) {
            return; // the timer dispatches again when the pause is over
        }
        while (!stopped && !queue.isEmpty()) {
            int r = running.get();
            if (r >= maxSessions) {
                return;
            }
            if (running.compareAndSet(r, r + 1)) {
                try {
                    workManager.scheduleWork(new DeliveryWork());
                } catch (WorkException e) {
                    running.decrementAndGet();
                    LOG.log(Level.WARNING, "The server refused delivery work for " + subscriberId()
                            + "; retrying in " + RETRY_DELAY_MILLIS + " ms", e);
                    retryLater();
                    return;
                }
            }
        }
    }

    private void retryLater() {
        if (!stopped) {
            pausedUntil = System.currentTimeMillis() + RETRY_DELAY_MILLIS;
            timer.schedule(() -> {
                pausedUntil = 0;
                dispatch();
            }, RETRY_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Delivers queued messages one after another until the queue is empty or the endpoint is unavailable. */
    private final class DeliveryWork implements Work {
        @Override
        public void run() {
            try {
                Pending p;
                while (!stopped && (p = queue.poll()) != null) {
                    if (!deliverOne(p)) {
                        break;
                    }
                }
            } finally {
                running.decrementAndGet();
            }
            dispatch();
        }

        @Override
        public void release() {
        }
    }

    /** Returns false when no bean instance could be had; the message is then back in the queue. */
    private boolean deliverOne(Pending p) {
        MessageEndpoint endpoint;
        try {
            endpoint = factory.createEndpoint(null);
        } catch (UnavailableException e) {
            // the bean pool is exhausted or the application is not ready: the message waits, first in line
            queue.addFirst(p);
            LOG.fine(() -> subscriberId() + " unavailable (" + e.getMessage() + "); retrying");
            retryLater();
            return false;
        }
        Message jms = InboundMessageMapper.toJms(p.message(), p.qos(), p.fromRetainedStore(), p.deliveryCount(), bodyType);
        try {
            ((MessageListener) endpoint).onMessage(jms);
        } catch (RuntimeException e) {
            onFailure(p, e);
        } finally {
            endpoint.release();
        }
        return true;
    }

    private void onFailure(Pending p, RuntimeException e) {
        if (p.qos() > 0 && p.deliveryCount() <= maxRedeliveries) {
            LOG.log(Level.WARNING, subscriberId() + " failed to process a message from topic " + p.message().topic()
                    + " (attempt " + p.deliveryCount() + "); it will be redelivered: " + e);
            Pending again = new Pending(p.message(), p.qos(), p.fromRetainedStore(), p.deliveryCount() + 1);
            timer.schedule(() -> {
                queue.add(again);
                dispatch();
            }, RETRY_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            LOG.log(Level.SEVERE, subscriberId() + " failed to process a QoS " + p.qos() + " message from topic "
                    + p.message().topic() + " after " + p.deliveryCount() + " attempt(s); giving it up", e);
        }
    }

    /** Stops delivering and waits (bounded) for deliveries in progress, so none runs after deactivation. */
    void stop() {
        stopped = true;
        long deadline = System.currentTimeMillis() + STOP_TIMEOUT_MILLIS;
        while (running.get() > 0 && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        int left = queue.size();
        queue.clear();
        if (left > 0) {
            LOG.warning(subscriberId() + " deactivated with " + left + " undelivered message(s)");
        }
    }
}
