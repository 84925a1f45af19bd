package io.mqttra.admin;

import java.lang.reflect.Method;
import java.security.AccessController;
import java.security.Principal;
import java.util.Set;
import java.util.TreeSet;
import javax.security.auth.Subject;

/**
 * Who is calling an MXBean operation, for the log: the JMX {@link Subject} of the call (remote JMX
 * connectors put the authenticated user there), else the server's current security identity (WildFly's
 * Elytron, looked up by name: the adapter does not link against it), else {@code unknown}.
 */
final class AdministratorIdentity {

    static final String UNKNOWN = "unknown";
    private static final String ELYTRON_DOMAIN = "org.wildfly.security.auth.server.SecurityDomain";

    private AdministratorIdentity() {
    }

    static String current() {
        String name = fromSubject();
        if (name == null) {
            name = fromElytron();
        }
        return name == null ? UNKNOWN : name;
    }

    /** The principals of the caller's Subject, by name; null when there is none. */
    @SuppressWarnings("removal") // Java 17's way; Subject.current() (Java 18+) is tried first
    private static String fromSubject() {
        Subject subject;
        try {
            subject = (Subject) Subject.class.getMethod("current").invoke(null);
        } catch (ReflectiveOperationException | RuntimeException notJava18) {
            try {
                subject = Subject.getSubject(AccessController.getContext());
            } catch (RuntimeException e) {
                return null;
            }
        }
        if (subject == null) {
            return null;
        }
        Set<String> names = new TreeSet<>();
        for (Principal p : subject.getPrincipals()) {
            names.add(p.getName());
        }
        return names.isEmpty() ? null : String.join(",", names);
    }

    /** {@code SecurityDomain.getCurrent().getCurrentSecurityIdentity().getPrincipal()}, when Elytron is visible. */
    private static String fromElytron() {
        for (ClassLoader loader : new ClassLoader[] {AdministratorIdentity.class.getClassLoader(),
                Thread.currentThread().getContextClassLoader()}) {
            try {
                Class<?> domainClass = Class.forName(ELYTRON_DOMAIN, false, loader);
                Object domain = domainClass.getMethod("getCurrent").invoke(null);
                if (domain == null) {
                    return null;
                }
                Object identity = domainClass.getMethod("getCurrentSecurityIdentity").invoke(domain);
                Method principal = identity.getClass().getMethod("getPrincipal");
                Object p = principal.invoke(identity);
                return p instanceof Principal named ? named.getName() : null;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // not visible through this loader, or no identity: try the next
            }
        }
        return null;
    }
}
