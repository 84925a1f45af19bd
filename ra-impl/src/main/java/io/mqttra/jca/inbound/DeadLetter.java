package io.mqttra.jca.inbound;

import io.mqttra.broker.MessageStore.StoredMessage;
import io.mqttra.broker.PublishedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A message a bean failed to process {@code maxRedeliveries} times, as it is published to the dead-letter topic. */
public final class DeadLetter {

    /** The user properties the dead-lettering appends, in this order. */
    public static final String ORIGINAL_TOPIC = "originalTopic";
    public static final String FAILURE_REASON = "failureReason";
    public static final String DELIVERY_COUNT = "deliveryCount";
    public static final String CONSUMER = "consumer";
    private static final List<String> ADDED = List.of(ORIGINAL_TOPIC, FAILURE_REASON, DELIVERY_COUNT, CONSUMER);

    private DeadLetter() {
    }

    /** The same message on the dead-letter topic, saying where it came from and why it is there. */
    static PublishedMessage of(StoredMessage s, String deadLetterTopic, String beanName, Exception failure) {
        PublishedMessage m = s.message();
        List<Map.Entry<String, String>> user = new ArrayList<>(m.properties().userProperties());
        user.add(Map.entry(ORIGINAL_TOPIC, m.topic()));
        user.add(Map.entry(FAILURE_REASON, String.valueOf(rootCause(failure))));
        user.add(Map.entry(DELIVERY_COUNT, String.valueOf(s.deliveryCount())));
        user.add(Map.entry(CONSUMER, beanName));
        PublishedMessage.Mqtt5Properties props = m.properties();
        return new PublishedMessage(deadLetterTopic, m.payload(), s.qos(), false, m.publisherClientId(), m.publisherUserName(),
                System.currentTimeMillis(), new PublishedMessage.Mqtt5Properties(props.payloadFormatUtf8(), null,
                        props.contentType(), props.responseTopic(), props.correlationData(), user), m.publisherRoles());
    }

    /** The last value of a user property of {@code deadLetter} (the dead-lettering's come last), or null. */
    public static String property(PublishedMessage deadLetter, String name) {
        String value = null;
        for (Map.Entry<String, String> p : deadLetter.properties().userProperties()) {
            if (p.getKey().equals(name)) {
                value = p.getValue();
            }
        }
        return value;
    }

    /**
     * The message as it was before it was dead-lettered, published now to its original topic without the
     * properties the dead-lettering added; null when it does not say its original topic.
     */
    public static PublishedMessage original(PublishedMessage deadLetter, long now) {
        String topic = property(deadLetter, ORIGINAL_TOPIC);
        if (topic == null) {
            return null;
        }
        List<Map.Entry<String, String>> user = new ArrayList<>(deadLetter.properties().userProperties());
        int added = user.size() - ADDED.size();
        if (added >= 0 && user.subList(added, user.size()).stream().map(Map.Entry::getKey).toList().equals(ADDED)) {
            user.subList(added, user.size()).clear();
        }
        PublishedMessage.Mqtt5Properties p = deadLetter.properties();
        return new PublishedMessage(topic, deadLetter.payload(), deadLetter.qos(), false, deadLetter.publisherClientId(),
                deadLetter.publisherUserName(), now, new PublishedMessage.Mqtt5Properties(p.payloadFormatUtf8(), null,
                        p.contentType(), p.responseTopic(), p.correlationData(), user), deadLetter.publisherRoles());
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
