package io.mqttra.broker;

/**
 * One listener at one moment, for administrators.
 *
 * @param name its name, e.g. {@code tcp-1883}
 * @param address the URI it listens on, with the actual port
 * @param transport how it carries MQTT
 * @param connections network connections open on it, CONNECT answered or not
 */
public record ListenerSnapshot(String name, String address, ListenerConfig.Transport transport, int connections) {
}
