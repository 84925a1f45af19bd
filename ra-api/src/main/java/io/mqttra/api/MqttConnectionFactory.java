package io.mqttra.api;

import jakarta.resource.ResourceException;

/**
 * The native outbound API, for applications that want MQTT terms rather than JMS ones. Look it up
 * (on WildFly {@code java:/mqtt/MqttConnectionFactory}) or inject it with {@code @Resource(lookup=...)}.
 * Connections come from the server's pool and take part in the caller's JTA transaction exactly like
 * the JMS connection factory's: publications made inside a transaction go out when it commits.
 */
public interface MqttConnectionFactory {

    /** A pooled connection; close it (try-with-resources) to return it. */
    MqttConnection getConnection() throws ResourceException;
}
