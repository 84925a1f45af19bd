package io.mqttra.jca.inbound;

import io.mqttra.broker.BrokerConfig;
import io.mqttra.broker.Delivery;
import io.mqttra.broker.MessageStore.StoredMessage;
import io.mqttra.broker.PublishedMessage;
import io.mqttra.broker.Subscriber;
import io.mqttra.broker.Subscription;
import io.mqttra.jms.MessageIds;
import io.mqttra.jms.MessageSelector;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkAdapter;
import jakarta.resource.spi.work.WorkEvent;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>Messages wait in {@link Lane}s. With {@code ordering=PER_TOPIC} there are {@code maxSessions} lanes, a
 * topic always maps to the same one, and each lane runs one delivery at a time, so a topic's messages
 * arrive in publish order while different topics run in parallel. With {@code NONE} there is one lane
 * that runs up to {@code maxSessions} deliveries at once.
 */
public final class EndpointSubscription implements Subscriber {

    private static final Logger LOG = Logger.getLogger(EndpointSubscription.class.getName());
    static final long RETRY_DELAY_MILLIS = 1000;
    private static final long STOP_TIMEOUT_MILLIS = 30_000;

    private final BeanEndpoints bean;
    private final ActivationSettings settings;
    private final ActivationStatistics statistics = new ActivationStatistics();
    private final String durableName;
    private final Subscription subscription;
    private final MessageSelector selector;
    private final boolean noLocal;
    private final boolean ordered;
    private final Lane[] lanes;
    private final int maxRedeliveries;
    private final long redeliveryDelayMillis;
    private final String deadLetterTopic;
    private final Consumer<PublishedMessage> deadLetters;
    private final int maxQueued;
    private final BrokerConfig.QueueOverflow overflow;
    private final Runnable countDropped;
    private final AtomicInteger queued = new AtomicInteger();
    /** Failed deliveries waiting for redeliveryDelay (ordering NONE); stop() hands them back instead of losing them. */
    private final Set<StoredMessage> retrying = ConcurrentHashMap.newKeySet();
    private final WorkManager workManager;
    private final boolean runAsPublisher;
    private final ScheduledExecutorService timer;
    private volatile boolean stopped;
    /** An administrator paused deliveries: the queue keeps filling, within its bound. */
    private volatile boolean paused;
    /** While the bean is unavailable, no new delivery work starts before this time (epoch ms). */
    private volatile long pausedUntil;
    /** Told the id of each message that is done with (delivered, dead-lettered, dropped): a durable store forgets it. */
    private volatile LongConsumer settled = id -> { };

    /**
     * @param synchronizations the server's registry, or {@code null}: a transacted delivery's outcome is then
     *                         the endpoint's XAResource
     * @param timer runs redeliveries and retries after their delay
     * @param deadLetters publishes a dead letter
     * @param limits the broker's {@code maxQueuedPerClient} and {@code queueOverflow}, for a bean slower than its publishers
     * @param countDropped counts a message dropped by the overflow policy in the broker's statistics
     */
    public EndpointSubscription(MessageEndpointFactory factory, ActivationSettings settings, WorkManager workManager,
                                TransactionSynchronizationRegistry synchronizations, ScheduledExecutorService timer,
                                Consumer<PublishedMessage> deadLetters, BrokerConfig limits, Runnable countDropped)
            throws ResourceException {
        this.bean = new BeanEndpoints(factory, settings.bodyType(), synchronizations);
        this.settings = settings;
        this.durableName = settings.durableName();
        this.subscription = settings.subscription();
        int maxSessions = settings.maxSessions();
        this.ordered = settings.ordering() == ActivationSettings.Ordering.PER_TOPIC;
        this.lanes = new Lane[ordered ? maxSessions : 1];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane(ordered ? 1 : maxSessions);
        }
        this.maxRedeliveries = settings.maxRedeliveries();
        this.selector = settings.selector();
        this.noLocal = settings.noLocal();
        this.redeliveryDelayMillis = settings.redeliveryDelayMillis();
        this.deadLetterTopic = settings.deadLetterTopic();
        this.deadLetters = deadLetters;
        this.maxQueued = settings.maxQueued() >= 0 ? settings.maxQueued() : limits.maxQueuedPerClient();
        this.overflow = limits.queueOverflow();
        this.countDropped = countDropped;
        this.workManager = workManager;
        this.runAsPublisher = settings.runAsPublisher();
        this.timer = timer;
    }

    /** The bean class when the server tells it (its activation name is server-specific and often cryptic). */
    public static String beanName(MessageEndpointFactory factory) {
        return BeanEndpoints.beanName(factory);
    }

    public String beanName() {
        return bean.beanName();
    }

    public Subscription subscription() {
        return subscription;
    }

    /** The name of the durable subscription the bean attaches to, or {@code null} when it is not durable. */
    public String durableName() {
        return durableName;
    }

    /** What the activation asked for. */
    public ActivationSettings settings() {
        return settings;
    }

    /** What became of its messages so far. */
    public ActivationStatistics statistics() {
        return statistics;
    }

    /** Messages waiting for the bean, redeliveries waiting for their delay included. */
    public int queuedCount() {
        return queued.get() + retrying.size();
    }

    /** An administrator's pause: no delivery starts (those running finish), and the queue keeps filling within its bound. */
    public void pause() {
        paused = true;
    }

    /** Ends a {@link #pause()}: delivery starts again with what queued meanwhile. */
    public void resume() {
        paused = false;
        dispatchAll();
    }

    public ActivationState state() {
        return stopped ? ActivationState.STOPPED : paused ? ActivationState.PAUSED
                : System.currentTimeMillis() < pausedUntil ? ActivationState.WAITING : ActivationState.ACTIVE;
    }

    /** From now on, every message this bean is done with is reported by its id. */
    void settleWith(LongConsumer onSettled) {
        this.settled = onSettled;
    }

    @Override
    public String subscriberId() {
        return "MDB " + bean.beanName();
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
            statistics.countDropped();
            LOG.fine(() -> subscriberId() + " has " + maxQueued + " messages waiting; one dropped (" + overflow + ")");
            dispatch(lane);
            return;
        }
        lane.queue.add(m);
        dispatch(lane);
    }

    boolean isStopped() {
        return stopped;
    }

    /** Whether a delivery work may take another message (neither stopped nor paused). */
    boolean isDelivering() {
        return !stopped && !paused;
    }

    /** The next message of the lane for a delivery, or {@code null}. */
    StoredMessage poll(Lane lane) {
        StoredMessage m = lane.queue.poll();
        if (m != null) {
            queued.decrementAndGet();
        }
        return m;
    }

    /** Whether a work running as {@code caller} delivers {@code m}. */
    boolean runsAs(PublisherCaller caller, StoredMessage m) {
        return !runAsPublisher || (caller == null ? PublisherCaller.of(m.message()) == null : caller.published(m.message()));
    }

    /** Puts a polled message back at the head of its lane. */
    void putBack(Lane lane, StoredMessage m) {
        queued.incrementAndGet();
        lane.queue.addFirst(m);
    }

    void settle(StoredMessage m) {
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
    void dispatch(Lane lane) {
        long now = System.currentTimeMillis();
        if (now < pausedUntil || now < lane.pausedUntil || paused) {
            return; // the timer dispatches again when the pause is over; resume() after an administrator's pause
        }
        while (!stopped && !lane.queue.isEmpty()) {
            int r = lane.running.get();
            if (r >= lane.maxRunning) {
                return;
            }
            if (lane.running.compareAndSet(r, r + 1)) {
                try {
                    StoredMessage head = lane.queue.peek();
                    PublisherCaller caller = runAsPublisher && head != null ? PublisherCaller.of(head.message()) : null;
                    workManager.scheduleWork(new DeliveryWork(this, bean, lane, caller), WorkManager.INDEFINITE, null,
                            new WorkAdapter() {
                                @Override
                                public void workRejected(WorkEvent e) {
                                    // e.g. the server's security refused the caller: run() never comes to free the lane
                                    lane.running.decrementAndGet();
                                    LOG.log(Level.WARNING, "The server refused delivery work for " + subscriberId()
                                            + (caller != null ? " as MQTT user " + caller.name() : "") + "; retrying in "
                                            + RETRY_DELAY_MILLIS + " ms", e.getException());
                                    retryLater();
                                }
                            });
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

    /** No bean instance could be had (the pool is exhausted or the application is not ready): the message waits, first in line. */
    void waitForEndpoint(Lane lane, StoredMessage m, Exception unavailable) {
        queued.incrementAndGet();
        lane.queue.addFirst(m);
        LOG.fine(() -> subscriberId() + " unavailable (" + unavailable + "); retrying");
        retryLater();
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

    /** A delivery failed: redeliver it after {@code redeliveryDelay}, or dead-letter it after {@code maxRedeliveries}. */
    void onFailure(Lane lane, StoredMessage m, Exception e) {
        statistics.countFailure(e);
        if (m.qos() > 0 && m.deliveryCount() <= maxRedeliveries) {
            statistics.countRedelivered();
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
                deadLetters.accept(DeadLetter.of(m, deadLetterTopic, bean.beanName(), e));
                statistics.countDeadLettered();
                settle(m);
            } catch (RuntimeException stored) {
                LOG.log(Level.SEVERE, subscriberId() + " could not publish a dead letter; the message stays queued", stored);
                queued.incrementAndGet();
                lane.queue.addFirst(m);
            }
        } else {
            LOG.log(Level.SEVERE, subscriberId() + " failed to process a QoS " + m.qos() + " message from topic "
                    + m.message().topic() + " after " + m.deliveryCount() + " attempt(s); giving it up", e);
            statistics.countDropped();
            settle(m);
        }
    }

    /**
     * Stops delivering and waits (bounded) for deliveries in progress, so none runs after deactivation.
     *
     * @return the messages that were queued and not delivered, each topic's in order, with their delivery counts
     */
    public List<StoredMessage> stop() {
        stopped = true;
        long deadline = System.currentTimeMillis() + STOP_TIMEOUT_MILLIS;
        while (inFlightCount() > 0 && System.currentTimeMillis() < deadline) {
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

    /** Deliveries running. */
    public int inFlightCount() {
        int r = 0;
        for (Lane lane : lanes) {
            r += lane.running.get();
        }
        return r;
    }
}
