package io.mqttra.security;

import java.security.Principal;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.security.auth.Subject;

/**
 * The roles the server's security gave a user, read from the execution subject after JCA security
 * inflow validated the password. WildFly (Elytron) leaves its {@code SecurityIdentity} in the
 * subject's private credentials, whose roles are the security domain's mapping of the user's groups;
 * it is read by reflection, so that the adapter needs no WildFly module. Open Liberty leaves the
 * user's unique group ids ({@code group:<realm>/<group name>}) in the subject's credential data: a
 * group's name is a role there, as the user registry's groups are roles on WildFly. Other servers add
 * group principals to the subject: every principal other than the user's own counts as a role there.
 */
final class SubjectRoles {

    private static final Logger LOG = Logger.getLogger(SubjectRoles.class.getName());
    private static final String ELYTRON_IDENTITY = "org.wildfly.security.auth.server.SecurityIdentity";
    /** Liberty's {@code AttributeNameConstants.WSCREDENTIAL_GROUPS}. */
    private static final String LIBERTY_GROUPS = "com.ibm.wsspi.security.cred.groups";

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
        if (addLibertyGroups(subject, roles)) {
            return roles;
        }
        for (Principal p : subject.getPrincipals()) {
            if (!p.getName().equals(userName)) {
                roles.add(p.getName());
            }
        }
        return roles;
    }

    /**
     * Adds the groups Liberty put in the subject, if it did; whether it did. Liberty's inflow callback
     * handler leaves a hash table of credential data among the subject's private credentials, with the
     * user's unique group ids under {@link #LIBERTY_GROUPS}.
     */
    private static boolean addLibertyGroups(Subject subject, Set<String> roles) {
        for (Object credential : subject.getPrivateCredentials()) {
            if (credential instanceof Map<?, ?> data && data.get(LIBERTY_GROUPS) instanceof Iterable<?> groupIds) {
                for (Object id : groupIds) {
                    roles.add(groupName(String.valueOf(id)));
                }
                return true;
            }
        }
        return false;
    }

    /** {@code group:MQTT-RA/mqtt-admin} is the group {@code mqtt-admin} of the realm {@code MQTT-RA}. */
    static String groupName(String groupId) {
        String id = groupId.startsWith("group:") ? groupId.substring("group:".length()) : groupId;
        int slash = id.indexOf('/');
        return slash < 0 ? id : id.substring(slash + 1);
    }
}
