package io.mqttra.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the clients of a listener log in: the values of {@code authentication} and of a listener's {@code ?auth=}. */
public enum AuthenticationMode {
    /** The application server's security domain, through JCA security inflow (resource adapter only). */
    CONTAINER("container"),
    /** A named JAAS login configuration. */
    JAAS("jaas"),
    /** The subject of the client's TLS certificate names the user. */
    CERTIFICATE("certificate"),
    /** A Mosquitto password file (standalone engine). */
    PASSWORD_FILE("password-file"),
    /** No credentials asked: only when an operator turns it on, with a warning at start. */
    ANONYMOUS("anonymous");

    private final String text;

    AuthenticationMode(String text) {
        this.text = text;
    }

    /** The mode named {@code text}; the exception's message lists the modes {@code allowed}. */
    public static AuthenticationMode parse(String text, AuthenticationMode... allowed) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (AuthenticationMode mode : allowed) {
            if (mode.text.equals(wanted)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not an authentication mode here; use one of "
                + Arrays.stream(allowed).map(AuthenticationMode::toString).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return text;
    }
}
