package io.mqttra.security;

import io.mqttra.broker.Authenticator;
import io.mqttra.broker.Authorizer;
import io.mqttra.broker.BrokerSecurity;
import io.mqttra.broker.ListenerConfig;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    private final Map<AuthenticationMode, Authenticator> authenticators = new EnumMap<>(AuthenticationMode.class);
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
        authenticators.put(AuthenticationMode.ANONYMOUS, Authenticator.ANONYMOUS);
    }

    /** The authenticator of the listeners whose mode is {@code mode}. */
    public ConfiguredSecurity with(AuthenticationMode mode, Authenticator authenticator) {
        authenticators.put(mode, authenticator);
        return this;
    }

    /** Takes {@code mode}'s authenticator away: a listener asking for it fails {@link #check}. */
    public ConfiguredSecurity without(AuthenticationMode mode) {
        authenticators.remove(mode);
        return this;
    }

    /**
     * The modes {@code listeners} use, so that only their authenticators are made.
     *
     * @throws IllegalArgumentException naming the listener whose {@code ?auth=} is not a mode offered here
     */
    public Set<AuthenticationMode> modesOf(List<ListenerConfig> listeners) {
        Set<AuthenticationMode> modes = EnumSet.noneOf(AuthenticationMode.class);
        for (ListenerConfig l : listeners) {
            try {
                modes.add(modeOf(l));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("listener " + l.name() + ": " + e.getMessage(), e);
            }
        }
        return modes;
    }

    /** The mode of {@code listener}. */
    public AuthenticationMode modeOf(ListenerConfig listener) {
        return listener.authentication() == null ? defaultMode
                : AuthenticationMode.parse(listener.authentication(), allowed);
    }

    /**
     * Checks that every listener's mode can work and has its authenticator; warns about anonymous listeners.
     *
     * @param clientCertificatesAsked whether TLS listeners ask clients for certificates
     * @throws IllegalArgumentException naming the listener whose mode cannot work
     */
    public void check(List<ListenerConfig> listeners, boolean clientCertificatesAsked) {
        modesOf(listeners);
        for (ListenerConfig l : listeners) {
            AuthenticationMode mode = modeOf(l);
            if (mode == AuthenticationMode.CERTIFICATE && (!l.transport().isTls() || !clientCertificatesAsked)) {
                throw new IllegalArgumentException("listener " + l.name() + ": authentication 'certificate' needs a TLS"
                        + " listener (ssl:// or wss://) and clientAuth REQUIRED or OPTIONAL");
            }
            if (!authenticators.containsKey(mode)) {
                throw new IllegalArgumentException("listener " + l.name() + ": authentication '" + mode + "' is not available here");
            }
            if (mode == AuthenticationMode.ANONYMOUS) {
                LOG.warning("MQTT-RA listener " + l.name() + " lets clients in without credentials (authentication anonymous);"
                        + " anyone who reaches it can publish and subscribe as the topic permissions allow anonymous clients");
            }
        }
    }

    @Override
    public Authenticator authenticatorFor(ListenerConfig listener) {
        Authenticator authenticator = authenticators.get(modeOf(listener));
        if (authenticator == null) {
            throw new IllegalArgumentException("listener " + listener.name() + ": authentication '" + modeOf(listener)
                    + "' is not available here");
        }
        return authenticator;
    }

    @Override
    public String describeLogins(ListenerConfig listener) {
        return modeOf(listener).toString();
    }

    @Override
    public Authorizer authorizer() {
        return authorizer;
    }
}
