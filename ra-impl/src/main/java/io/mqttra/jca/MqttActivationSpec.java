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
 * <p>The properties themselves, documented and with their defaults, are in {@link ActivationSpecProperties};
 * what they mean for delivery is in {@code io.mqttra.jca.inbound}.
 */
public class MqttActivationSpec extends ActivationSpecProperties implements ActivationSpec {

    private ResourceAdapter resourceAdapter;
    /** The topic name of the admin object {@code destinationLookup} (or a JNDI {@code destination}) names. */
    private transient String resolvedFilter;

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

    Ordering effectiveOrdering() {
        return Ordering.valueOf(ordering.trim().toUpperCase(Locale.ROOT));
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
                .runAsPublisher(!Boolean.FALSE.equals(runAsPublisher))
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
