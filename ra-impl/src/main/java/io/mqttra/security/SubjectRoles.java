package io.mqttra.security;

import java.security.Principal;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.security.auth.Subject;

/**
 * The roles the server's security gave a user, read from the execution subject after JCA security
 * inflow validated the password. WildFly (Elytron) leaves its {@code SecurityIdentity} in the
 * subject's private credentials, whose roles are the security domain's mapping of the user's groups;
 * it is read by reflection, so that the adapter needs no WildFly module. Other servers add group
 * principals to the subject: every principal other than the user's own counts as a role there.
 */
final class SubjectRoles {

    private static final Logger LOG = Logger.getLogger(SubjectRoles.class.getName());
    private static final String ELYTRON_IDENTITY = "org.wildfly.security.auth.server.SecurityIdentity";

    private SubjectRoles() {
    }

    static Set<String> of(Subject subject, String userName) {
        Set<String> roles = new HashSet<>();
        for (Object credential : subject.getPrivateCredentials()) {
            if (credential.getClass().getName().equals(ELYTRON_IDENTITY)) {
                try {
                    Object elytronRoles = credential.getClass().getMethod("getRoles").invoke(credential);
                    for (Object role : (Iterable<?>) elytronRoles) {
                        roles.add(String.valueOf(role));
                    }
                    return roles;
                } catch (ReflectiveOperationException | ClassCastException e) {
                    LOG.log(Level.WARNING, "Cannot read the roles of " + userName + " from the server's security identity", e);
                }
            }
        }
        for (Principal p : subject.getPrincipals()) {
            if (!p.getName().equals(userName)) {
                roles.add(p.getName());
            }
        }
        return roles;
    }
}
