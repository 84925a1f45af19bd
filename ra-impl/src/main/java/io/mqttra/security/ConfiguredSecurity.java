package io.mqttra.security;

import io.mqttra.broker.Authenticator;
import io.mqttra.broker.Authorizer;
import io.mqttra.broker.BrokerSecurity;
import io.mqttra.broker.ListenerConfig;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The security an operator configured: for each listener the authenticator of its mode (its own
 * {@code ?auth=}, else the default mode), and one authorizer. {@link #check(List, boolean)} runs
 * before the broker starts, so that a listener whose mode cannot work fails the start with a message
 * naming the listener and the mode.
 */
public final class ConfiguredSecurity implements BrokerSecurity {

    private static final Logger LOG = Logger.getLogger(ConfiguredSecurity.class.getName());

    private final AuthenticationMode defaultMode;
    private final AuthenticationMode[] allowed;
    private final Map<AuthenticationMode, Supplier<Authenticator>> factories = new EnumMap<>(AuthenticationMode.class);
    private final Map<AuthenticationMode, Authenticator> made = new EnumMap<>(AuthenticationMode.class);
    private final Authorizer authorizer;

    /**
     * @param defaultMode the mode of listeners that do not name one
     * @param authorizer topic permissions
     * @param allowed the modes this kind of server offers
     */
    public ConfiguredSecurity(AuthenticationMode defaultMode, Authorizer authorizer, AuthenticationMode... allowed) {
        this.defaultMode = defaultMode;
        this.authorizer = authorizer;
        this.allowed = allowed.clone();
        factories.put(AuthenticationMode.ANONYMOUS, () -> Authenticator.ANONYMOUS);
    }

    /** Says how to make the authenticator of {@code mode}; it is made once, when a listener first needs it. */
    public ConfiguredSecurity with(AuthenticationMode mode, Supplier<Authenticator> factory) {
        factories.put(mode, factory);
        return this;
    }

    /** The mode of {@code listener}. */
    public AuthenticationMode modeOf(ListenerConfig listener) {
        return listener.authentication() == null ? defaultMode
                : AuthenticationMode.parse(listener.authentication(), allowed);
    }

    /**
     * Checks every listener's mode and makes its authenticator; warns about anonymous listeners.
     *
     * @param clientCertificatesAsked whether TLS listeners ask clients for certificates
     * @throws IllegalArgumentException naming the listener whose mode cannot work
     */
    public void check(List<ListenerConfig> listeners, boolean clientCertificatesAsked) {
        for (ListenerConfig l : listeners) {
            AuthenticationMode mode;
            try {
                mode = modeOf(l);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("listener " + l.name() + ": " + e.getMessage(), e);
            }
            if (mode == AuthenticationMode.CERTIFICATE && (!l.transport().isTls() || !clientCertificatesAsked)) {
                throw new IllegalArgumentException("listener " + l.name() + ": authentication 'certificate' needs a TLS"
                        + " listener (ssl:// or wss://) and clientAuth REQUIRED or OPTIONAL");
            }
            if (!factories.containsKey(mode)) {
                throw new IllegalArgumentException("listener " + l.name() + ": authentication '" + mode + "' is not configured");
            }
            authenticator(mode);
            if (mode == AuthenticationMode.ANONYMOUS) {
                LOG.warning("MQTT-RA listener " + l.name() + " lets clients in without credentials (authentication anonymous);"
                        + " anyone who reaches it can publish and subscribe as the topic permissions allow anonymous clients");
            }
        }
    }

    @Override
    public Authenticator authenticatorFor(ListenerConfig listener) {
        return authenticator(modeOf(listener));
    }

    @Override
    public Authorizer authorizer() {
        return authorizer;
    }

    private synchronized Authenticator authenticator(AuthenticationMode mode) {
        return made.computeIfAbsent(mode, m -> {
            Supplier<Authenticator> factory = factories.get(m);
            if (factory == null) {
                throw new IllegalArgumentException("authentication '" + m + "' is not configured");
            }
            return factory.get();
        });
    }
}
