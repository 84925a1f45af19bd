package io.mqttra.broker;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One listener: a transport, an address and, for WebSocket, a path. Written as a URI:
 * {@code tcp://0.0.0.0:1883}, {@code ssl://0.0.0.0:8883}, {@code ws://0.0.0.0:8083/mqtt},
 * {@code wss://0.0.0.0:8084/mqtt}.
 *
 * @param transport how MQTT is carried
 * @param host address to bind to
 * @param port TCP port; 0 picks a free one
 * @param path WebSocket upgrade path (WebSocket only)
 */
public record ListenerConfig(Transport transport, String host, int port, String path) {

    /** The ways a listener carries MQTT. */
    public enum Transport {
        TCP(false, false), TLS(true, false), WEBSOCKET(false, true), WEBSOCKET_TLS(true, true);

        final boolean tls;
        final boolean webSocket;

        Transport(boolean tls, boolean webSocket) {
            this.tls = tls;
            this.webSocket = webSocket;
        }

        public boolean isTls() {
            return tls;
        }

        public boolean isWebSocket() {
            return webSocket;
        }
    }

    public static ListenerConfig tcp(String host, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, not " + port);
        }
        return new ListenerConfig(Transport.TCP, host, port, null);
    }

    /** Parses one listener URI; the message of the exception says what is wrong with it. */
    public static ListenerConfig parse(String text) {
        String spec = text.trim();
        URI uri;
        try {
            uri = new URI(spec);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + spec + "' is not a listener URI such as tcp://0.0.0.0:1883");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Transport transport = switch (scheme) {
            case "tcp", "mqtt" -> Transport.TCP;
            case "ssl", "tls", "mqtts" -> Transport.TLS;
            case "ws" -> Transport.WEBSOCKET;
            case "wss" -> Transport.WEBSOCKET_TLS;
            default -> throw new IllegalArgumentException("'" + spec + "' has no known scheme (tcp, ssl, ws or wss)");
        };
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("'" + spec + "' needs a host, e.g. 0.0.0.0");
        }
        int port = uri.getPort();
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("'" + spec + "' needs a port between 0 and 65535");
        }
        String path = null;
        if (transport.webSocket) {
            path = uri.getPath() == null || uri.getPath().isEmpty() ? "/mqtt" : uri.getPath();
        } else if (uri.getPath() != null && !uri.getPath().isEmpty()) {
            throw new IllegalArgumentException("'" + spec + "': only WebSocket listeners have a path");
        }
        return new ListenerConfig(transport, uri.getHost(), port, path);
    }

    /** Parses a comma-separated list of listener URIs. */
    public static List<ListenerConfig> parseList(String text) {
        List<ListenerConfig> listeners = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                listeners.add(parse(part));
            }
        }
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("at least one listener is needed, e.g. tcp://0.0.0.0:1883");
        }
        return listeners;
    }

    /** The listener as a URI, with the given (actual) port. */
    public String describe(int actualPort) {
        String scheme = switch (transport) {
            case TCP -> "tcp";
            case TLS -> "ssl";
            case WEBSOCKET -> "ws";
            case WEBSOCKET_TLS -> "wss";
        };
        return scheme + "://" + host + ":" + actualPort + (path == null ? "" : path);
    }
}
