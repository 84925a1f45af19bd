package io.mqttra.broker;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One listener: a transport, an address and, for WebSocket, a path, and optionally a name and how its
 * clients log in. Written as a URI: {@code tcp://0.0.0.0:1883}, {@code ssl://0.0.0.0:8883?auth=certificate},
 * {@code ws://0.0.0.0:8083/mqtt}, {@code wss://0.0.0.0:8084/mqtt?name=browsers&auth=container}.
 *
 * @param transport how MQTT is carried
 * @param host address to bind to
 * @param port TCP port; 0 picks a free one
 * @param path WebSocket upgrade path (WebSocket only)
 * @param name the listener's name in logs and login requests; by default its scheme and port, e.g. {@code tcp-1883}
 * @param authentication how its clients log in (the security layer knows the modes), or {@code null}
 *     for the broker-wide default
 */
public record ListenerConfig(Transport transport, String host, int port, String path, String name, String authentication) {

    private static final Set<String> PARAMETERS = Set.of("name", "auth");

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
        return new ListenerConfig(Transport.TCP, host, port, null, "tcp-" + port, null);
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
        Map<String, String> parameters = parameters(spec, uri.getRawQuery());
        String path = null;
        if (transport.webSocket) {
            path = uri.getPath() == null || uri.getPath().isEmpty() ? "/mqtt" : uri.getPath();
        } else if (uri.getPath() != null && !uri.getPath().isEmpty()) {
            throw new IllegalArgumentException("'" + spec + "': only WebSocket listeners have a path");
        }
        String name = parameters.getOrDefault("name", scheme(transport) + "-" + port);
        return new ListenerConfig(transport, uri.getHost(), port, path, name, parameters.get("auth"));
    }

    private static Map<String, String> parameters(String spec, String query) {
        Map<String, String> parameters = new HashMap<>();
        if (query == null || query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (!PARAMETERS.contains(key)) {
                throw new IllegalArgumentException("'" + spec + "': unknown parameter '" + key + "' (known: name, auth)");
            }
            if (value.isBlank()) {
                throw new IllegalArgumentException("'" + spec + "': parameter '" + key + "' needs a value");
            }
            parameters.put(key, value);
        }
        return parameters;
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
        return scheme(transport) + "://" + host + ":" + actualPort + (path == null ? "" : path);
    }

    private static String scheme(Transport transport) {
        return switch (transport) {
            case TCP -> "tcp";
            case TLS -> "ssl";
            case WEBSOCKET -> "ws";
            case WEBSOCKET_TLS -> "wss";
        };
    }
}
