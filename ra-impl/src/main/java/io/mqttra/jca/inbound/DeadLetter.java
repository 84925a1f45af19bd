package io.mqttra.jca.inbound;

import io.mqttra.broker.MessageStore.StoredMessage;
import io.mqttra.broker.PublishedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A message a bean failed to process {@code maxRedeliveries} times, as it is published to the dead-letter topic. */
final class DeadLetter {

    private DeadLetter() {
    }

    /** The same message on the dead-letter topic, saying where it came from and why it is there. */
    static PublishedMessage of(StoredMessage s, String deadLetterTopic, String beanName, Exception failure) {
        PublishedMessage m = s.message();
        List<Map.Entry<String, String>> user = new ArrayList<>(m.properties().userProperties());
        user.add(Map.entry("originalTopic", m.topic()));
        user.add(Map.entry("failureReason", String.valueOf(rootCause(failure))));
        user.add(Map.entry("deliveryCount", String.valueOf(s.deliveryCount())));
        user.add(Map.entry("consumer", beanName));
        PublishedMessage.Mqtt5Properties props = m.properties();
        return new PublishedMessage(deadLetterTopic, m.payload(), s.qos(), false, m.publisherClientId(), m.publisherUserName(),
                System.currentTimeMillis(), new PublishedMessage.Mqtt5Properties(props.payloadFormatUtf8(), null,
                        props.contentType(), props.responseTopic(), props.correlationData(), user), m.publisherRoles());
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
