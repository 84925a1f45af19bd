package io.mqttra.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * An MQTT application message as a {@link MqttMessageListener} receives it.
 *
 * @param topic the concrete topic it was published to
 * @param payload the payload (a copy: changing it changes nothing else)
 * @param qos the QoS it is delivered with: min(publication QoS, subscription QoS)
 * @param retain true when it comes from the retained-message store
 * @param publisherClientId the client id of the publisher, or {@code null} when the server published it
 * @param publisherUserName the user name the publisher logged in with, or {@code null}
 * @param payloadFormatUtf8 MQTT 5 payload format indicator (true: UTF-8 text), or {@code null}
 * @param messageExpirySeconds MQTT 5 message expiry interval as published, or {@code null}
 * @param contentType MQTT 5 content type, or {@code null}
 * @param responseTopic MQTT 5 response topic, or {@code null}
 * @param correlationData MQTT 5 correlation data, or {@code null}
 * @param userProperties MQTT 5 user properties in the order sent, repeated keys included
 * @param deliveryCount 1 on the first attempt, more when redelivered after a failure
 */
public record MqttMessage(String topic, byte[] payload, int qos, boolean retain, String publisherClientId,
                          String publisherUserName, Boolean payloadFormatUtf8, Long messageExpirySeconds, String contentType,
                          String responseTopic, byte[] correlationData, List<Map.Entry<String, String>> userProperties,
                          int deliveryCount) {

    public MqttMessage {
        userProperties = List.copyOf(userProperties);
    }

    /** The payload decoded as UTF-8. */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    public boolean redelivered() {
        return deliveryCount > 1;
    }
}
