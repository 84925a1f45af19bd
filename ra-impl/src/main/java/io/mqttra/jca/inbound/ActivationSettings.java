package io.mqttra.jca.inbound;

import io.mqttra.broker.Subscription;
import io.mqttra.jms.InboundMessageMapper.BodyType;
import io.mqttra.jms.MessageSelector;

/**
 * What one message-driven bean's activation asks for, checked and typed: the activation spec builds it
 * after validating its properties, and the delivery code reads only this. Built with
 * {@link #forFilter(String)}, so that each setting is named where it is set.
 *
 * @param topicFilter the MQTT topic filter, without a {@code $share/} prefix
 * @param shareName the shared-subscription group, or {@code null}
 * @param qos the subscription's maximum QoS
 * @param deliverRetained whether the first activation gets the retained messages matching the filter
 * @param maxSessions how many deliveries into the bean may run at once
 * @param ordering how those deliveries are ordered
 * @param maxRedeliveries how often a failed QoS 1/2 delivery is tried again
 * @param redeliveryDelayMillis the wait before a failed delivery is tried again
 * @param deadLetterTopic where a message goes after {@code maxRedeliveries}, or {@code null}: it is dropped
 * @param bodyType which JMS body type a {@code MessageListener} bean receives
 * @param selector the message selector, or {@code null}
 * @param noLocal whether the bean skips what this server's applications published through the adapter
 * @param maxQueued messages waiting for the bean at most; -1: the broker's {@code maxQueuedPerClient}
 * @param durableName the durable subscription's name, or {@code null} for a non-durable activation
 * @param subscriptionExpirySeconds how long a durable subscription is kept without a bean; 0: forever
 * @param runAsPublisher whether each message runs with its publisher's identity as the bean's caller
 */
public record ActivationSettings(String topicFilter, String shareName, int qos, boolean deliverRetained, int maxSessions,
                                 Ordering ordering, int maxRedeliveries, long redeliveryDelayMillis, String deadLetterTopic,
                                 BodyType bodyType, MessageSelector selector, boolean noLocal, int maxQueued,
                                 String durableName, long subscriptionExpirySeconds, boolean runAsPublisher) {

    public static final int DEFAULT_QOS = 1;
    public static final int DEFAULT_MAX_SESSIONS = 10;
    public static final int DEFAULT_MAX_REDELIVERIES = 5;
    public static final long DEFAULT_REDELIVERY_DELAY = 1000;
    public static final long DEFAULT_SUBSCRIPTION_EXPIRY = 86_400;
    public static final String DEFAULT_DEAD_LETTER_TOPIC = "mqtt-ra/dead-letter";
    /** {@code maxQueued} that means the broker's {@code maxQueuedPerClient}. */
    public static final int BROKER_MAX_QUEUED = -1;

    /** How deliveries into one bean are ordered when {@code maxSessions} lets several run at once. */
    public enum Ordering {
        /** Messages of one topic one after another, in publish order; different topics in parallel. */
        PER_TOPIC,
        /** Any message may run next to any other: the most parallelism, no order. */
        NONE
    }

    /** Settings for a bean consuming {@code topicFilter}, with the activation spec's defaults, to refine. */
    public static Builder forFilter(String topicFilter) {
        return new Builder(topicFilter);
    }

    /** The subscription inside the broker. */
    public Subscription subscription() {
        return Subscription.to(topicFilter)
                .sharedBy(shareName)
                .qos(qos)
                .retainHandling(deliverRetained ? Subscription.SEND_RETAINED : Subscription.NO_RETAINED)
                .build();
    }

    /** The selector as written (trimmed), or empty: what a durable subscription stores and compares. */
    String selectorText() {
        return selector == null ? "" : selector.toString();
    }

    /** Names each setting of an {@link ActivationSettings}; the defaults are the activation spec's. */
    public static final class Builder {
        private final String topicFilter;
        private String shareName;
        private int qos = DEFAULT_QOS;
        private boolean deliverRetained;
        private int maxSessions = DEFAULT_MAX_SESSIONS;
        private Ordering ordering = Ordering.PER_TOPIC;
        private int maxRedeliveries = DEFAULT_MAX_REDELIVERIES;
        private long redeliveryDelayMillis = DEFAULT_REDELIVERY_DELAY;
        private String deadLetterTopic = DEFAULT_DEAD_LETTER_TOPIC;
        private BodyType bodyType = BodyType.AUTO;
        private MessageSelector selector;
        private boolean noLocal;
        private boolean runAsPublisher = true;
        private int maxQueued = BROKER_MAX_QUEUED;
        private String durableName;
        private long subscriptionExpirySeconds = DEFAULT_SUBSCRIPTION_EXPIRY;

        private Builder(String topicFilter) {
            this.topicFilter = topicFilter;
        }

        /** {@code null}: an ordinary subscription. */
        public Builder sharedBy(String shareName) {
            this.shareName = shareName;
            return this;
        }

        public Builder qos(int qos) {
            this.qos = qos;
            return this;
        }

        public Builder deliverRetained(boolean deliverRetained) {
            this.deliverRetained = deliverRetained;
            return this;
        }

        public Builder maxSessions(int maxSessions) {
            this.maxSessions = maxSessions;
            return this;
        }

        public Builder ordering(Ordering ordering) {
            this.ordering = ordering;
            return this;
        }

        public Builder maxRedeliveries(int maxRedeliveries) {
            this.maxRedeliveries = maxRedeliveries;
            return this;
        }

        public Builder redeliveryDelayMillis(long redeliveryDelayMillis) {
            this.redeliveryDelayMillis = redeliveryDelayMillis;
            return this;
        }

        /** {@code null}: a message that failed {@code maxRedeliveries} times is logged and dropped. */
        public Builder deadLetterTopic(String deadLetterTopic) {
            this.deadLetterTopic = deadLetterTopic;
            return this;
        }

        public Builder bodyType(BodyType bodyType) {
            this.bodyType = bodyType;
            return this;
        }

        /** {@code null}: every message. */
        public Builder selector(MessageSelector selector) {
            this.selector = selector;
            return this;
        }

        public Builder noLocal(boolean noLocal) {
            this.noLocal = noLocal;
            return this;
        }

        public Builder runAsPublisher(boolean runAsPublisher) {
            this.runAsPublisher = runAsPublisher;
            return this;
        }

        /** {@link #BROKER_MAX_QUEUED}: the broker's {@code maxQueuedPerClient}. */
        public Builder maxQueued(int maxQueued) {
            this.maxQueued = maxQueued;
            return this;
        }

        /** Makes the activation durable under {@code name}; {@code null} leaves it non-durable. */
        public Builder durable(String name, long expirySeconds) {
            this.durableName = name;
            this.subscriptionExpirySeconds = expirySeconds;
            return this;
        }

        public ActivationSettings build() {
            return new ActivationSettings(topicFilter, shareName, qos, deliverRetained, maxSessions, ordering, maxRedeliveries,
                    redeliveryDelayMillis, deadLetterTopic, bodyType, selector, noLocal, maxQueued, durableName,
                    subscriptionExpirySeconds, runAsPublisher);
        }
    }
}
