package io.mqttra.api.management;

/**
 * One listener of the broker.
 *
 * @param name its name in logs and login requests, e.g. {@code tcp-1883}
 * @param address where it listens, as a URI with the actual port: {@code tcp://0.0.0.0:1883}, {@code wss://0.0.0.0:8084/mqtt}
 * @param transport {@code TCP}, {@code TLS}, {@code WEBSOCKET} or {@code WEBSOCKET_TLS}; every listener speaks MQTT 3.1, 3.1.1 and 5.0
 * @param tls whether connections are encrypted
 * @param connections network connections open on it now, including those whose CONNECT is not answered yet
 */
public record ListenerInfo(String name, String address, String transport, boolean tls, int connections) {
}
