package io.mqttra.jca;

import io.mqttra.api.MqttMessage;
import io.mqttra.api.MqttMessageListener;
import io.mqttra.broker.BrokerConfig;
import io.mqttra.broker.Delivery;
import io.mqttra.broker.PublishedMessage;
import io.mqttra.broker.Subscriber;
import io.mqttra.broker.Subscription;
import io.mqttra.jms.InboundMessageMapper;
import io.mqttra.jms.InboundMessageMapper.BodyType;
import io.mqttra.jms.MessageSelector;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One message-driven bean's subscription inside the broker. The broker hands it messages on I/O
 * threads; it queues them and delivers them to bean instances on the server's {@link WorkManager}
 * threads, at most {@code maxSessions} at a time. A delivery that fails (the bean threw, or its
 * transaction rolled back) is redelivered up to {@code maxRedeliveries} times, {@code redeliveryDelay}
 * apart, then published to the dead-letter topic.
 */
final class EndpointSubscription implements Subscriber {

    private static final Logger LOG = Logger.getLogger(EndpointSubscription.class.getName());
    static final long RETRY_DELAY_MILLIS = 1000;
    private static final long STOP_TIMEOUT_MILLIS = 30_000;

    private record Pending(PublishedMessage message, int qos, boolean fromRetainedStore, int deliveryCount) {
    }

    private static final Method ON_JMS_MESSAGE;
    private static final Method ON_MQTT_MESSAGE;

    static {
        try {
            ON_JMS_MESSAGE = MessageListener.class.getMethod("onMessage", Message.class);
            ON_MQTT_MESSAGE = MqttMessageListener.class.getMethod("onMessage", MqttMessage.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MessageEndpointFactory factory;
    private final String beanName;
    private final Subscription subscription;
    private final MessageSelector selector;
    private final int maxSessions;
    private final int maxRedeliveries;
    private final BodyType bodyType;
    private final long redeliveryDelayMillis;
    private final String deadLetterTopic;
    private final Consumer<PublishedMessage> deadLetters;
    private final int maxQueued;
    private final BrokerConfig.QueueOverflow overflow;
    private final Runnable countDropped;
    private final AtomicInteger queued = new AtomicInteger();
    /** Failed deliveries waiting for redeliveryDelay; stop() hands them back instead of losing them. */
    private final java.util.Set<Pending> retrying = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final boolean transacted;
    /** The bean implements {@link MqttMessageListener} rather than the JMS {@link MessageListener}. */
    private final boolean nativeListener;
    private final Method onMessage;
    private final WorkManager workManager;
    private final ScheduledExecutorService timer;
    private final ConcurrentLinkedDeque<Pending> queue = new ConcurrentLinkedDeque<>();
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean stopped;
    /** While the bean is unavailable, no new delivery work starts before this time (epoch ms). */
    private volatile long pausedUntil;

    EndpointSubscription(MessageEndpointFactory factory, MqttActivationSpec spec, WorkManager workManager,
                         ScheduledExecutorService timer, Consumer<PublishedMessage> deadLetters, BrokerConfig limits,
                         Runnable countDropped) throws ResourceException {
        this.factory = factory;
        this.beanName = beanName(factory);
        this.subscription = new Subscription(spec.effectiveTopicFilter(), spec.effectiveShareName(), spec.getQos(),
                false, false, Boolean.TRUE.equals(spec.getDeliverRetained()) ? 0 : 2, 0);
        this.maxSessions = spec.getMaxSessions();
        this.maxRedeliveries = spec.getMaxRedeliveries();
        this.bodyType = spec.effectiveBodyType();
        this.selector = spec.selector();
        this.redeliveryDelayMillis = spec.getRedeliveryDelay();
        this.deadLetterTopic = spec.effectiveDeadLetterTopic();
        this.deadLetters = deadLetters;
        this.maxQueued = spec.getMaxQueued() >= 0 ? spec.getMaxQueued() : limits.maxQueuedPerClient();
        this.overflow = limits.queueOverflow();
        this.countDropped = countDropped;
        Class<?> bean = factory.getEndpointClass();
        this.nativeListener = bean != null && MqttMessageListener.class.isAssignableFrom(bean);
        this.onMessage = nativeListener ? ON_MQTT_MESSAGE : ON_JMS_MESSAGE;
        try {
            this.transacted = factory.isDeliveryTransacted(onMessage);
        } catch (NoSuchMethodException e) {
            throw new ResourceException(beanName + " has no " + onMessage + " method", e);
        }
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
        if (stopped || message.topic().equals(deadLetterTopic)
                || (selector != null && !selector.matches(message, delivery.qos(), delivery.fromRetainedStore()))) {
            return; // a bean never gets its own dead letters back: they would go round forever
        }
        Pending p = new Pending(message, delivery.qos(), delivery.fromRetainedStore(), 1);
        if (queued.incrementAndGet() > maxQueued) {
            // a bean slower than its publishers: bounded like any slow subscriber
            queued.decrementAndGet();
            if (overflow == BrokerConfig.QueueOverflow.DROP_OLDEST && queue.pollFirst() != null) {
                queue.add(p); // one out at the head, one in at the tail
            }
            countDropped.run();
            LOG.fine(() -> subscriberId() + " has " + maxQueued + " messages waiting; one dropped (" + overflow + ")");
            dispatch();
            return;
        }
        queue.add(p);
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
                    queued.decrementAndGet();
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

    /**
     * Delivers one message. A transacted bean gets it inside a transaction that the container starts
     * in {@code beforeDelivery} with the adapter's {@link DeliveryOutcome} enlisted: the message is
     * settled only if that transaction commits. A non-transacted bean settles it by returning normally.
     * Returns false when no bean instance could be had; the message is then back in the queue.
     */
    private boolean deliverOne(Pending p) {
        DeliveryOutcome outcome = transacted ? new DeliveryOutcome() : null;
        MessageEndpoint endpoint;
        try {
            endpoint = factory.createEndpoint(outcome);
        } catch (UnavailableException | RuntimeException e) {
            // the bean pool is exhausted or the application is not ready: the message waits, first in line
            queued.incrementAndGet();
            queue.addFirst(p);
            LOG.fine(() -> subscriberId() + " unavailable (" + e + "); retrying");
            retryLater();
            return false;
        }
        Throwable failure = null;
        boolean began = false;
        try {
            if (transacted) {
                endpoint.beforeDelivery(onMessage);
                began = true;
            }
            if (nativeListener) {
                ((MqttMessageListener) endpoint).onMessage(nativeMessage(p));
            } else {
                ((MessageListener) endpoint).onMessage(
                        InboundMessageMapper.toJms(p.message(), p.qos(), p.fromRetainedStore(), p.deliveryCount(), bodyType));
            }
        } catch (Throwable e) {
            failure = e;
        } finally {
            if (began) {
                try {
                    endpoint.afterDelivery(); // commits, or rolls back after an exception or setRollbackOnly
                } catch (Throwable e) {
                    failure = failure == null ? e : failure;
                }
            }
            endpoint.release();
        }
        // a transacted delivery counts exactly when its transaction committed: an exception the
        // container did not roll back for, or one after the commit, does not send the message round again
        boolean settled = transacted && (outcome.committed() || outcome.rolledBack())
                ? outcome.committed() : failure == null;
        if (!settled) {
            onFailure(p, failure instanceof Exception e ? e
                    : new IllegalStateException(failure == null ? "the bean's transaction was rolled back" : failure.toString(),
                            failure));
        }
        if (failure instanceof Error error && !(error instanceof AssertionError)) {
            throw error; // a VirtualMachineError and its like are not ours to swallow; the message is already requeued
        }
        return true;
    }

    private static MqttMessage nativeMessage(Pending p) {
        PublishedMessage m = p.message();
        PublishedMessage.Mqtt5Properties props = m.properties();
        return new MqttMessage(m.topic(), m.payload().clone(), p.qos(), p.fromRetainedStore(), m.publisherClientId(),
                m.publisherUserName(), props.payloadFormatUtf8(), props.messageExpirySeconds(), props.contentType(),
                props.responseTopic(), props.correlationData() == null ? null : props.correlationData().clone(),
                props.userProperties(), p.deliveryCount());
    }

    private void onFailure(Pending p, Exception e) {
        if (p.qos() > 0 && p.deliveryCount() <= maxRedeliveries) {
            LOG.log(Level.WARNING, subscriberId() + " failed to process a message from topic " + p.message().topic()
                    + " (attempt " + p.deliveryCount() + "); it will be redelivered: " + e);
            Pending again = new Pending(p.message(), p.qos(), p.fromRetainedStore(), p.deliveryCount() + 1);
            retrying.add(again);
            timer.schedule(() -> {
                if (retrying.remove(again)) { // else stop() has taken it
                    queued.incrementAndGet();
                    queue.addFirst(again);
                    dispatch();
                }
            }, redeliveryDelayMillis, TimeUnit.MILLISECONDS);
        } else if (p.qos() > 0 && deadLetterTopic != null) {
            LOG.log(Level.SEVERE, subscriberId() + " failed to process a message from topic " + p.message().topic()
                    + " " + p.deliveryCount() + " time(s); it goes to the dead-letter topic " + deadLetterTopic, e);
            deadLetters.accept(deadLetter(p, e));
        } else {
            LOG.log(Level.SEVERE, subscriberId() + " failed to process a QoS " + p.qos() + " message from topic "
                    + p.message().topic() + " after " + p.deliveryCount() + " attempt(s); giving it up", e);
        }
    }

    /** The same message on the dead-letter topic, saying where it came from and why it is there. */
    private PublishedMessage deadLetter(Pending p, Exception e) {
        PublishedMessage m = p.message();
        List<Map.Entry<String, String>> user = new ArrayList<>(m.properties().userProperties());
        user.add(Map.entry("originalTopic", m.topic()));
        user.add(Map.entry("failureReason", String.valueOf(rootCause(e))));
        user.add(Map.entry("deliveryCount", String.valueOf(p.deliveryCount())));
        user.add(Map.entry("consumer", beanName));
        PublishedMessage.Mqtt5Properties props = m.properties();
        return new PublishedMessage(deadLetterTopic, m.payload(), p.qos(), false, m.publisherClientId(), m.publisherUserName(),
                System.currentTimeMillis(), new PublishedMessage.Mqtt5Properties(props.payloadFormatUtf8(), null,
                        props.contentType(), props.responseTopic(), props.correlationData(), user));
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Stops delivering and waits (bounded) for deliveries in progress, so none runs after deactivation.
     *
     * @return the messages that were queued and not delivered, in order
     */
    List<DurableSubscription.Kept> stop() {
        stopped = true;
        long deadline = System.currentTimeMillis() + STOP_TIMEOUT_MILLIS;
        while (running.get() > 0 && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<Pending> pending = new ArrayList<>();
        for (Pending r : List.copyOf(retrying)) {
            if (retrying.remove(r)) {
                pending.add(r); // failed deliveries first: they came before what is still queued
            }
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            pending.add(p);
        }
        List<DurableSubscription.Kept> left = new ArrayList<>();
        for (Pending x : pending) {
            left.add(new DurableSubscription.Kept(x.message(),
                    new Delivery(x.qos(), x.fromRetainedStore(), x.fromRetainedStore(), List.of())));
        }
        return left;
    }
}
