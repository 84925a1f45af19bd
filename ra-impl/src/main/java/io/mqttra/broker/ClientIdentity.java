package io.mqttra.broker;

import java.util.Set;

/**
 * Who a connected client is, as its listener's {@link Authenticator} established it: never what the
 * client merely claimed. The name becomes the messages' publisher user name ({@code JMSXUserID}), and
 * the name and roles are what topic permissions and a bean's caller principal are decided from.
 *
 * @param name the authenticated user name, or {@code null} for an anonymous client
 * @param roles the roles (groups) the server's security gave the user; empty when it has none
 */
public record ClientIdentity(String name, Set<String> roles) {

    /** A client on a listener that lets clients in without credentials. */
    public static final ClientIdentity ANONYMOUS = new ClientIdentity(null, Set.of());

    public ClientIdentity {
        roles = Set.copyOf(roles);
    }

    public static ClientIdentity of(String name, Set<String> roles) {
        return new ClientIdentity(name, roles);
    }

    public boolean isAnonymous() {
        return name == null;
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    @Override
    public String toString() {
        return name == null ? "anonymous" : name + roles;
    }
}
