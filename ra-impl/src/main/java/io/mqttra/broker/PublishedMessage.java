package io.mqttra.broker;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One application message as the broker received it from a publisher: immutable, shared by every
 * subscription it is routed to, and free of Netty buffers so that it can outlive the connection
 * that carried it.
 *
 * @param topic the concrete topic name
 * @param payload the payload bytes; never modified after construction
 * @param qos the QoS the publisher sent it with (0, 1 or 2)
 * @param retain the retain flag the publisher set
 * @param publisherClientId client identifier of the publisher ({@code null} when published by the server)
 * @param publisherUserName user name the publisher authenticated with, or {@code null}
 * @param timestamp when the broker received it (epoch milliseconds)
 * @param properties the MQTT 5 application properties; {@link Mqtt5Properties#NONE} for 3.x publishers
 * @param publisherRoles the roles the server's security gave the publisher when it logged in: with
 *     the user name they make the caller identity of a bean that processes the message
 */
public record PublishedMessage(
        String topic,
        byte[] payload,
        int qos,
        boolean retain,
        String publisherClientId,
        String publisherUserName,
        long timestamp,
        Mqtt5Properties properties,
        Set<String> publisherRoles) {

    public PublishedMessage {
        publisherRoles = Set.copyOf(publisherRoles);
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(properties, "properties");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2, not " + qos);
        }
    }

    /** A message of a publisher without roles (or published by the server). */
    public PublishedMessage(String topic, byte[] payload, int qos, boolean retain, String publisherClientId,
                            String publisherUserName, long timestamp, Mqtt5Properties properties) {
        this(topic, payload, qos, retain, publisherClientId, publisherUserName, timestamp, properties, Set.of());
    }

    /** The same message as received at {@code now}: a will is published long after its CONNECT. */
    public PublishedMessage receivedAt(long now) {
        return new PublishedMessage(topic, payload, qos, retain, publisherClientId, publisherUserName, now, properties,
                publisherRoles);
    }

    /** The same message as published by {@code publisher}, whatever user name the client claimed. */
    public PublishedMessage publishedBy(ClientIdentity publisher) {
        return new PublishedMessage(topic, payload, qos, retain, publisherClientId, publisher.name(), timestamp, properties,
                publisher.roles());
    }

    /** Whether the MQTT 5 message expiry interval has passed at {@code now} (epoch milliseconds). */
    public boolean isExpired(long now) {
        Long expiry = properties.messageExpirySeconds();
        return expiry != null && now - timestamp >= expiry * 1000;
    }

    /**
     * The MQTT 5 properties that travel with an application message from publisher to subscriber
     * (MQTT 5.0 section 3.3.2.3).
     *
     * @param payloadFormatUtf8 payload format indicator 1 (UTF-8 text), or {@code null} when absent
     * @param messageExpirySeconds message expiry interval, or {@code null} when absent
     * @param contentType content type, or {@code null}
     * @param responseTopic response topic, or {@code null}
     * @param correlationData correlation data, or {@code null}
     * @param userProperties user properties in the order the publisher sent them
     */
    public record Mqtt5Properties(
            Boolean payloadFormatUtf8,
            Long messageExpirySeconds,
            String contentType,
            String responseTopic,
            byte[] correlationData,
            List<Map.Entry<String, String>> userProperties) {

        public static final Mqtt5Properties NONE = new Mqtt5Properties(null, null, null, null, null, List.of());

        public Mqtt5Properties {
            userProperties = List.copyOf(userProperties);
        }
    }

    @Override
    public String toString() {
        return "PublishedMessage[topic=" + topic + ", qos=" + qos + ", retain=" + retain
                + ", bytes=" + payload.length + ", from=" + publisherClientId + "]";
    }
}
