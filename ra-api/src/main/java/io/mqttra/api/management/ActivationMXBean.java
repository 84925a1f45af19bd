package io.mqttra.api.management;

import java.util.Date;

/**
 * One message-driven bean's activation: its subscription inside the broker, its queue and what
 * became of its messages since it was activated. Registered while the bean is active.
 */
public interface ActivationMXBean {

    /** The bean class. */
    String getBeanName();

    String getTopicFilter();

    /** The shared-subscription group, or null. */
    String getShareName();

    int getQos();

    boolean isDurable();

    /** The durable subscription's name, or null. */
    String getSubscriptionName();

    /** The message selector, or empty. */
    String getSelector();

    int getMaxSessions();

    /** {@code ACTIVE}, {@code PAUSED}, {@code WAITING} (no bean instance was available; retrying) or {@code STOPPED}. */
    String getState();

    /** Messages waiting for the bean, redeliveries waiting for their delay included. */
    int getQueued();

    /** Deliveries into the bean in progress. */
    int getInFlight();

    /** Messages the bean processed (its transaction committed, or onMessage returned). */
    long getDelivered();

    /** Failed deliveries that were scheduled again. */
    long getRedelivered();

    /** Messages that went to the dead-letter topic. */
    long getDeadLettered();

    /** Messages the queue's bound dropped, and failed QoS 0 messages given up. */
    long getDropped();

    /** The last failure of a delivery, or null. */
    String getLastError();

    /** When the last failure happened, or null. */
    Date getLastErrorTime();

    /**
     * Stops starting deliveries; those in progress finish. The bean keeps receiving into its queue,
     * within its bound ({@code maxQueued}, then {@code queueOverflow} applies).
     */
    void pause();

    /** Delivers again, starting with what queued during the pause. */
    void resume();
}
