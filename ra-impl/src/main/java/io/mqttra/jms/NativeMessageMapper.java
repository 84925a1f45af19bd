package io.mqttra.jms;

import io.mqttra.api.MqttMessage;
import io.mqttra.api.MqttTopics;
import io.mqttra.broker.PublishedMessage;
import io.mqttra.broker.PublishedMessage.Mqtt5Properties;
import java.util.List;
import java.util.Map;

/**
 * Maps between the broker's messages and the native API of {@code io.mqttra.api}: what a
 * {@code MqttMessageListener} bean receives, and what an {@code MqttConnection} publishes. Payloads and
 * correlation data are copied both ways, so the application and the broker never share an array.
 */
public final class NativeMessageMapper {

    private NativeMessageMapper() {
    }

    /**
     * @param qos the QoS it is delivered with (min of publication and subscription QoS)
     * @param fromRetainedStore whether it comes from the retained store
     * @param deliveryCount 1 for the first attempt, more for redeliveries
     */
    public static MqttMessage toNative(PublishedMessage message, int qos, boolean fromRetainedStore, int deliveryCount) {
        Mqtt5Properties props = message.properties();
        return new MqttMessage(message.topic(), message.payload().clone(), qos, fromRetainedStore,
                message.publisherClientId(), message.publisherUserName(), props.payloadFormatUtf8(),
                props.messageExpirySeconds(), props.contentType(), props.responseTopic(),
                props.correlationData() == null ? null : props.correlationData().clone(), props.userProperties(),
                deliveryCount);
    }

    /**
     * A publication of the server's applications (no publisher client id or user name).
     *
     * @throws IllegalArgumentException when the topic is not a topic name or the QoS is not 0, 1 or 2
     */
    public static PublishedMessage toPublished(String topic, byte[] payload, int qos, boolean retain,
                                               Map<String, String> userProperties) {
        String problem = MqttTopics.topicNameProblem(topic);
        if (problem != null) {
            throw new IllegalArgumentException("'" + topic + "' is not an MQTT topic name: " + problem);
        }
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2, not " + qos);
        }
        Mqtt5Properties props = userProperties.isEmpty() ? Mqtt5Properties.NONE
                : new Mqtt5Properties(null, null, null, null, null, List.copyOf(userProperties.entrySet()));
        return new PublishedMessage(topic, payload.clone(), qos, retain, null, null, System.currentTimeMillis(), props);
    }
}
