package io.mqttra.broker;

/**
 * How a broker authenticates and authorizes its clients: an {@link Authenticator} for each listener,
 * and one {@link Authorizer}. The broker asks once per listener, when it starts.
 */
public interface BrokerSecurity {

    /**
     * No checks: every client is anonymous and may do what the broker allows. For tests and for
     * embedders who secure the network instead; the resource adapter and the standalone engine never
     * use it unless an operator asks for anonymous access.
     */
    BrokerSecurity OPEN = new BrokerSecurity() {
        @Override
        public Authenticator authenticatorFor(ListenerConfig listener) {
            return Authenticator.ANONYMOUS;
        }

        @Override
        public Authorizer authorizer() {
            return Authorizer.ALLOW_ALL;
        }
    };

    Authenticator authenticatorFor(ListenerConfig listener);

    Authorizer authorizer();

    /** How the listener's clients log in, for its start-up line. */
    default String describeLogins(ListenerConfig listener) {
        return this == OPEN ? "none checked" : "checked";
    }
}
