package io.mqttra.jca;

import io.mqttra.jca.inbound.ActivationSettings;
import io.mqttra.jca.inbound.ActivationSettings.Ordering;
import io.mqttra.jms.InboundMessageMapper.BodyType;

/**
 * A message-driven bean's activation properties: a documented JavaBean property for each
 * {@code config-property} of the activation spec in {@code ra.xml}, with its default. Kept apart from
 * {@link MqttActivationSpec}, which checks them and turns them into {@link ActivationSettings}, because
 * the JCA contract wants a getter and a setter for every property. The fields are the package's own:
 * the spec reads them when it checks them.
 */
public abstract class ActivationSpecProperties {

    String topicFilter;
    String destination;
    String destinationType = "jakarta.jms.Topic";
    Integer qos = ActivationSettings.DEFAULT_QOS;
    Integer maxSessions = ActivationSettings.DEFAULT_MAX_SESSIONS;
    Integer maxRedeliveries = ActivationSettings.DEFAULT_MAX_REDELIVERIES;
    String bodyType = BodyType.AUTO.name();
    Long redeliveryDelay = ActivationSettings.DEFAULT_REDELIVERY_DELAY;
    String shareName;
    String messageSelector;
    String subscriptionDurability = "NonDurable";
    String subscriptionName;
    String clientId;
    Long subscriptionExpirySeconds = ActivationSettings.DEFAULT_SUBSCRIPTION_EXPIRY;
    Integer maxQueued = ActivationSettings.BROKER_MAX_QUEUED;
    Boolean deliverRetained = false;
    String deadLetterTopic = ActivationSettings.DEFAULT_DEAD_LETTER_TOPIC;
    Boolean noLocal = false;
    Boolean runAsPublisher = true;
    String ordering = Ordering.PER_TOPIC.name();
    String destinationLookup;

    /** The MQTT topic filter the bean subscribes to, e.g. {@code sensors/+/temperature}. Required. */
    public String getTopicFilter() {
        return topicFilter;
    }
    public void setTopicFilter(String topicFilter) {
        this.topicFilter = topicFilter;
    }
    /**
     * The standard MDB property; accepted as the topic filter when {@code topicFilter} is not set
     * (WildFly passes it through as a string; Open Liberty reserves it for a JNDI reference).
     */
    public String getDestination() {
        return destination;
    }
    public void setDestination(String destination) {
        this.destination = destination;
    }
    /**
     * The JNDI name of a {@code jakarta.jms.Topic} admin object (the adapter's {@code MqttTopic}) whose
     * topic name is the filter, when {@code topicFilter} is not set. A {@code destination} that starts
     * with {@code java:} is looked up the same way.
     */
    public String getDestinationLookup() {
        return destinationLookup;
    }
    public void setDestinationLookup(String destinationLookup) {
        this.destinationLookup = destinationLookup;
    }
    /** Only {@code jakarta.jms.Topic}: every MQTT destination is a topic. */
    public String getDestinationType() {
        return destinationType;
    }
    public void setDestinationType(String destinationType) {
        this.destinationType = destinationType;
    }
    /** The subscription's maximum QoS (0, 1 or 2); messages arrive with min(publish QoS, this). Default 1. */
    public Integer getQos() {
        return qos;
    }
    public void setQos(Integer qos) {
        this.qos = qos;
    }
    /** How many messages may be in the bean at once (concurrent deliveries). Default 10. */
    public Integer getMaxSessions() {
        return maxSessions;
    }
    public void setMaxSessions(Integer maxSessions) {
        this.maxSessions = maxSessions;
    }
    /** How often a QoS 1/2 message whose delivery failed is delivered again before it is given up. Default 5. */
    public Integer getMaxRedeliveries() {
        return maxRedeliveries;
    }
    public void setMaxRedeliveries(Integer maxRedeliveries) {
        this.maxRedeliveries = maxRedeliveries;
    }
    /**
     * Activations (of one bean or several) with the same share name share one subscription: each
     * message goes to one of them. Unset: this activation gets every message.
     */
    public String getShareName() {
        return shareName;
    }
    public void setShareName(String shareName) {
        this.shareName = shareName;
    }
    /**
     * Messages waiting for this bean at most; beyond it the adapter's {@code queueOverflow} policy drops
     * (and counts) one, as for any slow subscriber. -1 (default): the adapter's {@code maxQueuedPerClient}.
     */
    public Integer getMaxQueued() {
        return maxQueued;
    }
    public void setMaxQueued(Integer maxQueued) {
        this.maxQueued = maxQueued;
    }
    /** {@code NonDurable} (default) or {@code Durable}: a durable activation keeps receiving while its bean is away. */
    public String getSubscriptionDurability() {
        return subscriptionDurability;
    }
    public void setSubscriptionDurability(String subscriptionDurability) {
        this.subscriptionDurability = subscriptionDurability;
    }
    /** The durable subscription's name; required for {@code Durable}. */
    public String getSubscriptionName() {
        return subscriptionName;
    }
    public void setSubscriptionName(String subscriptionName) {
        this.subscriptionName = subscriptionName;
    }
    /** Qualifies {@code subscriptionName}, as the JMS client id does for durable subscriptions. */
    public String getClientId() {
        return clientId;
    }
    public void setClientId(String clientId) {
        this.clientId = clientId;
    }
    /** Seconds a durable subscription is kept without a bean before it is removed; 0: never. Default one day. */
    public Long getSubscriptionExpirySeconds() {
        return subscriptionExpirySeconds;
    }
    public void setSubscriptionExpirySeconds(Long subscriptionExpirySeconds) {
        this.subscriptionExpirySeconds = subscriptionExpirySeconds;
    }
    /**
     * A JMS message selector over the mapped message's properties and headers, e.g.
     * {@code JMS_MQTT_QoS > 0 AND unit = 'C'}. Messages it does not select are not delivered to this
     * bean; other subscribers still get them.
     */
    public String getMessageSelector() {
        return messageSelector;
    }
    public void setMessageSelector(String messageSelector) {
        this.messageSelector = messageSelector;
    }
    /** Whether the activation first receives the retained messages matching its filter. Default false. */
    public Boolean getDeliverRetained() {
        return deliverRetained;
    }
    public void setDeliverRetained(Boolean deliverRetained) {
        this.deliverRetained = deliverRetained;
    }
    /** Milliseconds before a failed delivery is tried again. Default 1000. */
    public Long getRedeliveryDelay() {
        return redeliveryDelay;
    }
    public void setRedeliveryDelay(Long redeliveryDelay) {
        this.redeliveryDelay = redeliveryDelay;
    }
    /**
     * Where a message goes after {@code maxRedeliveries} failed redeliveries, with the original topic and
     * the failure as user properties. Default {@code mqtt-ra/dead-letter}; empty: such messages are
     * logged and dropped.
     */
    public String getDeadLetterTopic() {
        return deadLetterTopic;
    }
    public void setDeadLetterTopic(String deadLetterTopic) {
        this.deadLetterTopic = deadLetterTopic;
    }
    /**
     * Whether the bean skips messages that applications of this server published through the adapter
     * (its JMS or native connection factory), as a JMS {@code noLocal} subscriber skips its own
     * connection's messages; a bean that publishes to topics it consumes does not feed itself. Default false.
     */
    public Boolean getNoLocal() {
        return noLocal;
    }
    public void setNoLocal(Boolean noLocal) {
        this.noLocal = noLocal;
    }
    /**
     * Whether the bean runs each message as the MQTT client that published it, with that client's user
     * name as caller principal and its roles (JCA security inflow); {@code false}: as the container's
     * own unauthenticated identity. Default true.
     */
    public Boolean getRunAsPublisher() {
        return runAsPublisher;
    }
    public void setRunAsPublisher(Boolean runAsPublisher) {
        this.runAsPublisher = runAsPublisher;
    }
    /**
     * {@code PER_TOPIC} (default): messages of one topic reach the bean one at a time in publish order,
     * a failed one holding back the later ones of its topic until it is redelivered; different topics
     * run in parallel up to {@code maxSessions}. {@code NONE}: no order, the most parallelism.
     */
    public String getOrdering() {
        return ordering;
    }
    public void setOrdering(String ordering) {
        this.ordering = ordering;
    }
    /** {@code AUTO} (text when the MQTT 5 payload format indicator says UTF-8), {@code TEXT} or {@code BYTES}. */
    public String getBodyType() {
        return bodyType;
    }
    public void setBodyType(String bodyType) {
        this.bodyType = bodyType;
    }
}
