package io.mqttra.jca;

import io.mqttra.api.MqttTopics;
import io.mqttra.jca.inbound.ActivationSettings;
import io.mqttra.jca.inbound.ActivationSettings.Ordering;
import io.mqttra.jms.InboundMessageMapper.BodyType;
import io.mqttra.jms.MessageSelector;
import jakarta.jms.InvalidSelectorException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;
import java.util.Locale;

/**
 * The activation configuration of a message-driven bean: which MQTT topics it consumes and how.
 * Every property is a JavaBean property, set through {@code @ActivationConfigProperty} or the
 * server's deployment descriptors, checked by {@link #validate()}, and handed to the delivery code as
 * {@link ActivationSettings}.
 *
 * <p>Longer than the other classes because the JCA contract wants a JavaBean getter and setter, documented,
 * for every property; what they mean for delivery is in {@code io.mqttra.jca.inbound}.
 */
public class MqttActivationSpec implements ActivationSpec {

    private ResourceAdapter resourceAdapter;
    private String topicFilter;
    private String destination;
    private String destinationType = "jakarta.jms.Topic";
    private Integer qos = ActivationSettings.DEFAULT_QOS;
    private Integer maxSessions = ActivationSettings.DEFAULT_MAX_SESSIONS;
    private Integer maxRedeliveries = ActivationSettings.DEFAULT_MAX_REDELIVERIES;
    private String bodyType = BodyType.AUTO.name();
    private Long redeliveryDelay = ActivationSettings.DEFAULT_REDELIVERY_DELAY;
    private String shareName;
    private String messageSelector;
    private String subscriptionDurability = "NonDurable";
    private String subscriptionName;
    private String clientId;
    private Long subscriptionExpirySeconds = ActivationSettings.DEFAULT_SUBSCRIPTION_EXPIRY;
    private Integer maxQueued = ActivationSettings.BROKER_MAX_QUEUED;
    private Boolean deliverRetained = false;
    private String deadLetterTopic = ActivationSettings.DEFAULT_DEAD_LETTER_TOPIC;
    private Boolean noLocal = false;
    private String ordering = Ordering.PER_TOPIC.name();
    private String destinationLookup;
    /** The topic name of the admin object {@code destinationLookup} (or a JNDI {@code destination}) names. */
    private transient String resolvedFilter;

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

    /** Looks up the admin object named by {@code destinationLookup} or a JNDI {@code destination}. */
    void resolveDestination() throws InvalidPropertyException {
        if (topicFilter != null && !topicFilter.isBlank() || resolvedFilter != null) {
            return;
        }
        boolean byLookup = destinationLookup != null && !destinationLookup.isBlank();
        String name = byLookup ? destinationLookup.trim()
                : destination != null && destination.trim().startsWith("java:") ? destination.trim() : null;
        if (name == null) {
            return;
        }
        String property = byLookup ? "destinationLookup" : "destination";
        Object bound;
        try {
            bound = new javax.naming.InitialContext().lookup(name);
        } catch (javax.naming.NamingException e) {
            throw invalid(property, "nothing is bound at " + name + " (" + e + ")");
        }
        if (!(bound instanceof jakarta.jms.Topic topic)) {
            throw invalid(property, name + " is a " + (bound == null ? "null" : bound.getClass().getName())
                    + ", not a jakarta.jms.Topic");
        }
        try {
            resolvedFilter = topic.getTopicName();
        } catch (jakarta.jms.JMSException e) {
            throw invalid(property, "the topic at " + name + " has no name (" + e + ")");
        }
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

    boolean isDurable() {
        return "durable".equalsIgnoreCase(subscriptionDurability == null ? "" : subscriptionDurability.trim());
    }

    /** The name the durable subscription is found by again, or {@code null} for a non-durable activation. */
    String durableName() {
        if (!isDurable()) {
            return null;
        }
        return (clientId == null || clientId.isBlank() ? "" : clientId.trim() + "/") + subscriptionName.trim();
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

    /** The parsed selector, or {@code null} when there is none. */
    MessageSelector selector() throws InvalidPropertyException {
        if (messageSelector == null || messageSelector.isBlank()) {
            return null;
        }
        try {
            return MessageSelector.parse(messageSelector.trim());
        } catch (InvalidSelectorException e) {
            throw invalid("messageSelector", e.getMessage());
        }
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

    Ordering effectiveOrdering() {
        return Ordering.valueOf(ordering.trim().toUpperCase(Locale.ROOT));
    }

    /** {@code AUTO} (text when the MQTT 5 payload format indicator says UTF-8), {@code TEXT} or {@code BYTES}. */
    public String getBodyType() {
        return bodyType;
    }

    public void setBodyType(String bodyType) {
        this.bodyType = bodyType;
    }

    /** The filter in effect: {@code topicFilter}, else {@code destination}. */
    String effectiveTopicFilter() {
        if (topicFilter != null && !topicFilter.isBlank()) {
            return topicFilter.trim();
        }
        if (resolvedFilter != null) {
            return resolvedFilter;
        }
        return destination == null || destination.trim().startsWith("java:") ? null : destination.trim();
    }

    String effectiveShareName() {
        return shareName == null || shareName.isBlank() ? null : shareName.trim();
    }

    /** The dead-letter topic, or {@code null} when dead-lettering is off. */
    String effectiveDeadLetterTopic() {
        return deadLetterTopic == null || deadLetterTopic.isBlank() ? null : deadLetterTopic.trim();
    }

    BodyType effectiveBodyType() {
        return BodyType.valueOf(bodyType.trim().toUpperCase(Locale.ROOT));
    }

    @Override
    public void validate() throws InvalidPropertyException {
        resolveDestination(); // the server validates before it activates: the filter must be known here
        String filter = effectiveTopicFilter();
        if (filter == null || filter.isEmpty()) {
            throw invalid("topicFilter", "is required: set the MQTT topic filter to consume, e.g. sensors/#"
                    + " (or destinationLookup naming a Topic admin object; destination=" + destination
                    + ", destinationLookup=" + destinationLookup + ")");
        }
        String problem = MqttTopics.topicFilterProblem(filter);
        if (problem != null) {
            throw invalid(topicFilter != null ? "topicFilter" : resolvedFilter != null ? "destinationLookup" : "destination",
                    "'" + filter + "' is not a valid MQTT topic filter: " + problem);
        }
        if (destinationType != null && !destinationType.isBlank()
                && !destinationType.trim().equals("jakarta.jms.Topic") && !destinationType.trim().equals("javax.jms.Topic")) {
            throw invalid("destinationType", "must be jakarta.jms.Topic (MQTT has topics only), not " + destinationType);
        }
        if (qos == null || qos < 0 || qos > 2) {
            throw invalid("qos", "must be 0, 1 or 2, not " + qos);
        }
        if (maxSessions == null || maxSessions < 1) {
            throw invalid("maxSessions", "must be at least 1, not " + maxSessions);
        }
        if (maxRedeliveries == null || maxRedeliveries < 0) {
            throw invalid("maxRedeliveries", "must be 0 or more, not " + maxRedeliveries);
        }
        if (shareName != null && !shareName.isBlank()
                && (shareName.contains("/") || shareName.contains("+") || shareName.contains("#"))) {
            throw invalid("shareName", "must not contain '/', '+' or '#', not " + shareName);
        }
        selector();
        String durability = subscriptionDurability == null ? "" : subscriptionDurability.trim();
        if (!durability.equalsIgnoreCase("durable") && !durability.equalsIgnoreCase("nondurable")) {
            throw invalid("subscriptionDurability", "must be Durable or NonDurable, not " + subscriptionDurability);
        }
        if (isDurable() && (subscriptionName == null || subscriptionName.isBlank())) {
            throw invalid("subscriptionName", "is required for a Durable activation");
        }
        if (maxQueued == null || maxQueued < -1) {
            throw invalid("maxQueued", "must be -1 (the adapter's maxQueuedPerClient) or more, not " + maxQueued);
        }
        if (subscriptionExpirySeconds == null || subscriptionExpirySeconds < 0) {
            throw invalid("subscriptionExpirySeconds", "must be 0 (never) or more, not " + subscriptionExpirySeconds);
        }
        if (redeliveryDelay == null || redeliveryDelay < 0) {
            throw invalid("redeliveryDelay", "must be 0 or more milliseconds, not " + redeliveryDelay);
        }
        if (deadLetterTopic != null && !deadLetterTopic.isBlank()) {
            String topicProblem = MqttTopics.topicNameProblem(deadLetterTopic.trim());
            if (topicProblem != null) {
                throw invalid("deadLetterTopic", "'" + deadLetterTopic + "' is not a topic name: " + topicProblem);
            }
        }
        try {
            effectiveBodyType();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid("bodyType", "must be AUTO, TEXT or BYTES, not " + bodyType);
        }
        try {
            effectiveOrdering();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid("ordering", "must be PER_TOPIC or NONE, not " + ordering);
        }
    }

    /** The settings the bean's subscription is made from; call after {@link #validate()}. */
    public ActivationSettings settings() throws InvalidPropertyException {
        return ActivationSettings.forFilter(effectiveTopicFilter())
                .sharedBy(effectiveShareName())
                .qos(qos)
                .deliverRetained(Boolean.TRUE.equals(deliverRetained))
                .maxSessions(maxSessions)
                .ordering(effectiveOrdering())
                .maxRedeliveries(maxRedeliveries)
                .redeliveryDelayMillis(redeliveryDelay)
                .deadLetterTopic(effectiveDeadLetterTopic())
                .bodyType(effectiveBodyType())
                .selector(selector())
                .noLocal(Boolean.TRUE.equals(noLocal))
                .maxQueued(maxQueued)
                .durable(durableName(), subscriptionExpirySeconds)
                .build();
    }

    private static InvalidPropertyException invalid(String property, String problem) {
        return new InvalidPropertyException("Invalid MQTT-RA activation property '" + property + "': " + problem);
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) throws ResourceException {
        this.resourceAdapter = ra;
    }

    @Override
    public String toString() {
        return "MqttActivationSpec[topicFilter=" + effectiveTopicFilter() + ", qos=" + qos + ", maxSessions=" + maxSessions
                + ", bodyType=" + bodyType + "]";
    }
}
