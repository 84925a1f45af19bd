package io.mqttra.jca;

import io.mqttra.api.MqttMessage;
import io.mqttra.api.MqttMessageListener;
import io.mqttra.broker.BrokerConfig;
import io.mqttra.broker.Delivery;
import io.mqttra.broker.MessageStore.StoredMessage;
import io.mqttra.broker.PublishedMessage;
import io.mqttra.broker.Subscriber;
import io.mqttra.broker.Subscription;
import io.mqttra.jms.InboundMessageMapper;
import io.mqttra.jms.InboundMessageMapper.BodyType;
import io.mqttra.jms.MessageIds;
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
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One message-driven bean's subscription inside the broker. The broker hands it messages on I/O
 * threads; it queues them and delivers them to bean instances on the server's {@link WorkManager}
 * threads, at most {@code maxSessions} at a time. A delivery that fails (the bean threw, or its
 * transaction rolled back) is redelivered up to {@code maxRedeliveries} times, {@code redeliveryDelay}
 * apart, then published to the dead-letter topic.
 *
 * <p>Messages wait in lanes. With {@code ordering=PER_TOPIC} there are {@code maxSessions} lanes, a
 * topic always maps to the same one, and each lane runs one delivery at a time, so a topic's messages
 * arrive in publish order while different topics run in parallel. With {@code NONE} there is one lane
 * that runs up to {@code maxSessions} deliveries at once.
 */
final class EndpointSubscription implements Subscriber {

    private static final Logger LOG = Logger.getLogger(EndpointSubscription.class.getName());
    static final long RETRY_DELAY_MILLIS = 1000;
    private static final long STOP_TIMEOUT_MILLIS = 30_000;

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

    /** Messages waiting for the bean, and the deliveries running from them. */
    private final class Lane {
        final ConcurrentLinkedDeque<StoredMessage> queue = new ConcurrentLinkedDeque<>();
        final AtomicInteger running = new AtomicInteger();
        final int maxRunning;
        /** No delivery starts from this lane before this time (epoch ms): its head waits for redeliveryDelay. */
        volatile long pausedUntil;

        Lane(int maxRunning) {
            this.maxRunning = maxRunning;
        }
    }

    private final MessageEndpointFactory factory;
    private final String beanName;
    private final Subscription subscription;
    private final MessageSelector selector;
    private final boolean noLocal;
    private final boolean ordered;
    private final Lane[] lanes;
    private final int maxRedeliveries;
    private final BodyType bodyType;
    private final long redeliveryDelayMillis;
    private final String deadLetterTopic;
    private final Consumer<PublishedMessage> deadLetters;
    private final int maxQueued;
    private final BrokerConfig.QueueOverflow overflow;
    private final Runnable countDropped;
    private final AtomicInteger queued = new AtomicInteger();
    /** Failed deliveries waiting for redeliveryDelay (ordering NONE); stop() hands them back instead of losing them. */
    private final java.util.Set<StoredMessage> retrying = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final boolean transacted;
    /** The bean implements {@link MqttMessageListener} rather than the JMS {@link MessageListener}. */
    private final boolean nativeListener;
    private final Method onMessage;
    private final WorkManager workManager;
    /** Where a transacted delivery's {@link DeliveryOutcome} listens; null: the server has none, it is enlisted as an XAResource. */
    private final TransactionSynchronizationRegistry synchronizations;
    private final ScheduledExecutorService timer;
    private volatile boolean stopped;
    private volatile boolean warnedNoTransaction;
    /** While the bean is unavailable, no new delivery work starts before this time (epoch ms). */
    private volatile long pausedUntil;
    /** Told the id of each message that is done with (delivered, dead-lettered, dropped): a durable store forgets it. */
    private volatile LongConsumer settled = id -> { };

    EndpointSubscription(MessageEndpointFactory factory, MqttActivationSpec spec, WorkManager workManager,
                         TransactionSynchronizationRegistry synchronizations, ScheduledExecutorService timer,
                         Consumer<PublishedMessage> deadLetters, BrokerConfig limits, Runnable countDropped)
            throws ResourceException {
        this.factory = factory;
        this.beanName = beanName(factory);
        this.subscription = Subscription.to(spec.effectiveTopicFilter())
                .sharedBy(spec.effectiveShareName())
                .qos(spec.getQos())
                .retainHandling(Boolean.TRUE.equals(spec.getDeliverRetained()) ? Subscription.SEND_RETAINED : Subscription.NO_RETAINED)
                .build();
        int maxSessions = spec.getMaxSessions();
        this.ordered = spec.effectiveOrdering() == MqttActivationSpec.Ordering.PER_TOPIC;
        this.lanes = new Lane[ordered ? maxSessions : 1];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane(ordered ? 1 : maxSessions);
        }
        this.maxRedeliveries = spec.getMaxRedeliveries();
        this.bodyType = spec.effectiveBodyType();
        this.selector = spec.selector();
        this.noLocal = Boolean.TRUE.equals(spec.getNoLocal());
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
        this.synchronizations = synchronizations;
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

    /** From now on, every message this bean is done with is reported by its id. */
    void settleWith(LongConsumer onSettled) {
        this.settled = onSettled;
    }

    @Override
    public String subscriberId() {
        return "MDB " + beanName;
    }

    /** Whether this bean takes the message at all (its selector, noLocal, never its own dead letters). */
    boolean accepts(PublishedMessage message, Delivery delivery) {
        // a bean never gets its own dead letters back: they would go round forever
        return !message.topic().equals(deadLetterTopic)
                && !(noLocal && message.publisherClientId() == null)
                && (selector == null || selector.matches(message, delivery.qos(), delivery.fromRetainedStore()));
    }

    @Override
    public void deliver(PublishedMessage message, Delivery delivery) {
        if (!stopped && accepts(message, delivery)) {
            enqueue(new StoredMessage(0, message, delivery.qos(), delivery.fromRetainedStore(), 1, MessageIds.next()));
        }
    }

    private Lane laneOf(StoredMessage m) {
        return lanes.length == 1 ? lanes[0] : lanes[Math.floorMod(m.message().topic().hashCode(), lanes.length)];
    }

    /** Queues a message the bean accepts (a durable subscription has checked {@link #accepts} already). */
    void enqueue(StoredMessage m) {
        Lane lane = laneOf(m);
        if (queued.incrementAndGet() > maxQueued) {
            // a bean slower than its publishers: bounded like any slow subscriber
            queued.decrementAndGet();
            StoredMessage dropped = m;
            if (overflow == BrokerConfig.QueueOverflow.DROP_OLDEST) {
                StoredMessage oldest = lane.queue.pollFirst();
                if (oldest != null) {
                    dropped = oldest;
                    lane.queue.add(m); // one out at the head, one in at the tail
                }
            }
            settle(dropped);
            countDropped.run();
            LOG.fine(() -> subscriberId() + " has " + maxQueued + " messages waiting; one dropped (" + overflow + ")");
            dispatch(lane);
            return;
        }
        lane.queue.add(m);
        dispatch(lane);
    }

    private void settle(StoredMessage m) {
        if (m.id() != 0) {
            settled.accept(m.id());
        }
    }

    private void dispatchAll() {
        for (Lane lane : lanes) {
            dispatch(lane);
        }
    }

    /** Starts delivery work while the lane has messages and fewer deliveries running than it may. */
    private void dispatch(Lane lane) {
        long now = System.currentTimeMillis();
        if (now < pausedUntil || now < lane.pausedUntil) {
            return; // the timer dispatches again when the pause is over
        }
        while (!stopped && !lane.queue.isEmpty()) {
            int r = lane.running.get();
            if (r >= lane.maxRunning) {
                return;
            }
            if (lane.running.compareAndSet(r, r + 1)) {
                try {
                    workManager.scheduleWork(new DeliveryWork(lane));
                } catch (WorkException e) {
                    lane.running.decrementAndGet();
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
                dispatchAll();
            }, RETRY_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Delivers a lane's messages one after another until it is empty, paused, or the endpoint is
     * unavailable. One endpoint serves the messages in turn, as JCA allows: creating one per message
     * was about a third of a non-transacted delivery's time in WildFly (a new proxy each time).
     */
    private final class DeliveryWork implements Work {
        private final Lane lane;
        /** The endpoint the next message may use, or null: one is created for it. */
        private MessageEndpoint endpoint;

        DeliveryWork(Lane lane) {
            this.lane = lane;
        }

        @Override
        public void run() {
            try {
                StoredMessage m;
                while (!stopped && System.currentTimeMillis() >= lane.pausedUntil && (m = lane.queue.poll()) != null) {
                    queued.decrementAndGet();
                    if (!deliverOne(this, m)) {
                        break;
                    }
                }
            } finally {
                if (endpoint != null) {
                    endpoint.release();
                    endpoint = null;
                }
                lane.running.decrementAndGet();
            }
            dispatch(lane);
        }

        @Override
        public void release() {
        }
    }

    /**
     * Delivers one message. A transacted bean gets it inside a transaction that the container starts
     * in {@code beforeDelivery}, with the adapter's {@link DeliveryOutcome} listening to it: the message
     * is settled only if that transaction commits. A non-transacted bean settles it by returning normally.
     * Returns false when no bean instance could be had; the message is then back in its lane.
     */
    private boolean deliverOne(DeliveryWork work, StoredMessage m) {
        Lane lane = work.lane;
        DeliveryOutcome outcome = transacted ? new DeliveryOutcome() : null;
        // an endpoint created with an XAResource belongs to that one delivery's resource
        boolean reusable = !transacted || synchronizations != null;
        MessageEndpoint endpoint = work.endpoint;
        work.endpoint = null;
        try {
            if (endpoint == null) {
                endpoint = factory.createEndpoint(reusable ? null : outcome);
            }
        } catch (UnavailableException | RuntimeException e) {
            // the bean pool is exhausted or the application is not ready: the message waits, first in line
            queued.incrementAndGet();
            lane.queue.addFirst(m);
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
                if (synchronizations != null) {
                    listenForOutcome(outcome);
                }
            }
            if (nativeListener) {
                ((MqttMessageListener) endpoint).onMessage(nativeMessage(m));
            } else {
                ((MessageListener) endpoint).onMessage(
                        InboundMessageMapper.toJms(m.message(), m.qos(), m.fromRetainedStore(), m.deliveryCount(), bodyType,
                                m.messageId()));
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
            if (reusable && failure == null) {
                work.endpoint = endpoint;
            } else {
                endpoint.release(); // after a failure the next message starts afresh
            }
        }
        // a transacted delivery counts exactly when its transaction committed: an exception the
        // container did not roll back for, or one after the commit, does not send the message round again
        boolean done = transacted && (outcome.committed() || outcome.rolledBack())
                ? outcome.committed() : failure == null;
        if (done) {
            settle(m);
        } else {
            onFailure(lane, m, failure instanceof Exception e ? e
                    : new IllegalStateException(failure == null ? "the bean's transaction was rolled back" : failure.toString(),
                            failure));
        }
        if (failure instanceof Error error && !(error instanceof AssertionError)) {
            throw error; // a VirtualMachineError and its like are not ours to swallow; the message is already requeued
        }
        return true;
    }

    /**
     * Registers the outcome with the transaction {@code beforeDelivery} began. Without one, nothing
     * tells the outcome, and the delivery counts as done when {@code onMessage} returns normally.
     */
    private void listenForOutcome(DeliveryOutcome outcome) {
        try {
            synchronizations.registerInterposedSynchronization(outcome);
        } catch (IllegalStateException noTransaction) {
            if (!warnedNoTransaction) {
                warnedNoTransaction = true;
                LOG.warning(subscriberId() + " is transacted, but no transaction is active after beforeDelivery ("
                        + noTransaction.getMessage() + "); its messages are settled when onMessage returns normally");
            }
        }
    }

    private static MqttMessage nativeMessage(StoredMessage s) {
        PublishedMessage m = s.message();
        PublishedMessage.Mqtt5Properties props = m.properties();
        return new MqttMessage(m.topic(), m.payload().clone(), s.qos(), s.fromRetainedStore(), m.publisherClientId(),
                m.publisherUserName(), props.payloadFormatUtf8(), props.messageExpirySeconds(), props.contentType(),
                props.responseTopic(), props.correlationData() == null ? null : props.correlationData().clone(),
                props.userProperties(), s.deliveryCount());
    }

    private void onFailure(Lane lane, StoredMessage m, Exception e) {
        if (m.qos() > 0 && m.deliveryCount() <= maxRedeliveries) {
            LOG.log(Level.WARNING, subscriberId() + " failed to process a message from topic " + m.message().topic()
                    + " (attempt " + m.deliveryCount() + "); it will be redelivered: " + e);
            StoredMessage again = m.withDeliveryCount(m.deliveryCount() + 1);
            if (ordered) {
                // the topic's later messages wait behind it: order over speed
                queued.incrementAndGet();
                lane.pausedUntil = System.currentTimeMillis() + redeliveryDelayMillis;
                lane.queue.addFirst(again);
                timer.schedule(() -> dispatch(lane), redeliveryDelayMillis, TimeUnit.MILLISECONDS);
                return;
            }
            retrying.add(again);
            timer.schedule(() -> {
                if (retrying.remove(again)) { // else stop() has taken it
                    queued.incrementAndGet();
                    lane.queue.addFirst(again);
                    dispatch(lane);
                }
            }, redeliveryDelayMillis, TimeUnit.MILLISECONDS);
        } else if (m.qos() > 0 && deadLetterTopic != null) {
            LOG.log(Level.SEVERE, subscriberId() + " failed to process a message from topic " + m.message().topic()
                    + " " + m.deliveryCount() + " time(s); it goes to the dead-letter topic " + deadLetterTopic, e);
            try {
                deadLetters.accept(deadLetter(m, e));
                settle(m);
            } catch (RuntimeException stored) {
                LOG.log(Level.SEVERE, subscriberId() + " could not publish a dead letter; the message stays queued", stored);
                queued.incrementAndGet();
                lane.queue.addFirst(m);
            }
        } else {
            LOG.log(Level.SEVERE, subscriberId() + " failed to process a QoS " + m.qos() + " message from topic "
                    + m.message().topic() + " after " + m.deliveryCount() + " attempt(s); giving it up", e);
            settle(m);
        }
    }

    /** The same message on the dead-letter topic, saying where it came from and why it is there. */
    private PublishedMessage deadLetter(StoredMessage s, Exception e) {
        PublishedMessage m = s.message();
        List<Map.Entry<String, String>> user = new ArrayList<>(m.properties().userProperties());
        user.add(Map.entry("originalTopic", m.topic()));
        user.add(Map.entry("failureReason", String.valueOf(rootCause(e))));
        user.add(Map.entry("deliveryCount", String.valueOf(s.deliveryCount())));
        user.add(Map.entry("consumer", beanName));
        PublishedMessage.Mqtt5Properties props = m.properties();
        return new PublishedMessage(deadLetterTopic, m.payload(), s.qos(), false, m.publisherClientId(), m.publisherUserName(),
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
     * @return the messages that were queued and not delivered, each topic's in order, with their delivery counts
     */
    List<StoredMessage> stop() {
        stopped = true;
        long deadline = System.currentTimeMillis() + STOP_TIMEOUT_MILLIS;
        while (running() > 0 && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<StoredMessage> left = new ArrayList<>();
        for (StoredMessage r : List.copyOf(retrying)) {
            if (retrying.remove(r)) {
                left.add(r); // failed deliveries first: they came before what is still queued
            }
        }
        for (Lane lane : lanes) {
            StoredMessage m;
            while ((m = lane.queue.poll()) != null) {
                left.add(m);
            }
        }
        return left;
    }

    private int running() {
        int r = 0;
        for (Lane lane : lanes) {
            r += lane.running.get();
        }
        return r;
    }
}
