package io.mqttra.api;

import java.util.Map;

/** A connection handle of {@link MqttConnectionFactory}: publishes to the broker inside the server. */
public interface MqttConnection extends AutoCloseable {

    /**
     * Publishes a message; inside a JTA transaction it is held until the transaction commits.
     *
     * @param topic a topic name, without wildcards
     * @param payload the payload bytes
     * @param qos 0, 1 or 2: the QoS the message is delivered to subscribers with, at most
     * @param retain whether the broker keeps it as the topic's retained message
     * @param userProperties MQTT 5 user properties, in iteration order; may be empty
     * @throws IllegalArgumentException for an invalid topic name or QoS
     * @throws IllegalStateException when the connection is closed
     */
    void publish(String topic, byte[] payload, int qos, boolean retain, Map<String, String> userProperties);

    /** {@link #publish(String, byte[], int, boolean, Map)} without user properties. */
    default void publish(String topic, byte[] payload, int qos, boolean retain) {
        publish(topic, payload, qos, retain, Map.of());
    }

    /** Returns the connection to the pool. */
    @Override
    void close();
}
