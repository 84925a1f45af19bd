package io.mqttra.broker;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a client presented at CONNECT, for an {@link Authenticator}.
 *
 * @param listenerName the name of the listener the client connected to (see {@link ListenerConfig#name()})
 * @param clientId the client identifier (assigned by the broker when the client sent none)
 * @param userName the user name the client sent, or {@code null}
 * @param password the password the client sent, or {@code null}; the authenticator may not keep it
 * @param remoteAddress the client's address
 * @param certificates the client's certificate chain when a TLS listener verified one, else empty
 * @param protocolLevel 3 (MQTT 3.1), 4 (3.1.1) or 5
 */
public record LoginRequest(String listenerName, String clientId, String userName, byte[] password,
                           InetSocketAddress remoteAddress, List<X509Certificate> certificates, int protocolLevel) {

    public LoginRequest {
        certificates = List.copyOf(certificates);
    }

    /** The password as characters (UTF-8), which the login APIs of Java want; {@code null} when none was sent. */
    public char[] passwordChars() {
        if (password == null) {
            return null;
        }
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(password));
        char[] result = new char[chars.remaining()];
        chars.get(result);
        return result;
    }

    @Override
    public String toString() {
        // never the password
        return "login of client " + clientId + (userName == null ? " without a user name" : " as " + userName) + " from "
                + remoteAddress + " on " + listenerName;
    }
}
