package io.mqttra.admin;

import java.lang.management.ManagementFactory;
import java.security.AccessController;
import java.security.Principal;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.security.auth.Subject;

/**
 * Who is calling an MXBean operation, for the log. Tried in turn:
 * <ol>
 * <li>the JMX {@link Subject} of the call: the JDK's RMI connector puts the authenticated user there;</li>
 * <li>WildFly's management identity: its remote JMX ({@code remote+http} on the management port) runs each
 * request in an {@code AccessAuditContext} with the management user's Elytron identity, and not as any
 * {@code SecurityDomain.getCurrent()};</li>
 * <li>Elytron's current security domain: an application's authenticated user calling in-process;</li>
 * <li>Liberty's caller ({@code WSSubject.getCallerPrincipal()}): its REST connector runs each request as the
 * administrator who logged in, without putting a JMX {@link Subject} on the call;</li>
 * <li>else {@code unknown}.</li>
 * </ol>
 * The servers' classes are looked up by name through the MBean server's, the caller's and the adapter's class
 * loaders: the adapter does not link against them, nor declare a dependency on a server's private modules.
 */
final class AdministratorIdentity {

    static final String UNKNOWN = "unknown";
    private static final Logger LOG = Logger.getLogger(AdministratorIdentity.class.getName());

    private AdministratorIdentity() {
    }

    static String current() {
        String name = fromSubject();
        for (ClassLoader loader : loaders()) {
            if (name == null) {
                name = principalName(loader, "org.jboss.as.controller.AccessAuditContext", "currentAccessAuditContext",
                        "getSecurityIdentity");
            }
            if (name == null) {
                name = principalName(loader, "org.wildfly.security.auth.server.SecurityDomain", "getCurrent",
                        "getCurrentSecurityIdentity");
            }
            if (name == null) {
                name = callerName(loader, "com.ibm.websphere.security.auth.WSSubject", "getCallerPrincipal");
            }
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
        Set<String> names = new TreeSet<>();
        if (subject != null) {
            subject.getPrincipals().forEach(p -> names.add(p.getName()));
        }
        return names.isEmpty() ? null : String.join(",", names);
    }

    /** The MBean server's loader (WildFly's JMX module sees its controller and Elytron), the caller's, the adapter's. */
    private static ClassLoader[] loaders() {
        return new ClassLoader[] {ManagementFactory.getPlatformMBeanServer().getClass().getClassLoader(),
                Thread.currentThread().getContextClassLoader(), AdministratorIdentity.class.getClassLoader()};
    }

    /** {@code type.method()}, a static no-argument method returning the caller's name; null when not visible. */
    private static String callerName(ClassLoader loader, String type, String method) {
        if (loader == null) {
            return null;
        }
        try {
            Object name = Class.forName(type, false, loader).getMethod(method).invoke(null);
            return name instanceof String s && !s.isEmpty() ? s : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.log(Level.FINEST, e, () -> "No caller name from " + type + " through " + loader);
            return null;
        }
    }

    /**
     * {@code type.current().identity().getPrincipal().getName()}, each a no-argument method found by name;
     * null when the type is not visible through {@code loader} or there is no current identity.
     */
    private static String principalName(ClassLoader loader, String type, String current, String identity) {
        if (loader == null) {
            return null; // the bootstrap loader: a plain JVM's MBean server, none of these types
        }
        try {
            Class<?> c = Class.forName(type, false, loader);
            Object context = c.getMethod(current).invoke(null);
            Object id = context == null ? null : c.getMethod(identity).invoke(context);
            Object p = id == null ? null : id.getClass().getMethod("getPrincipal").invoke(id);
            return p instanceof Principal named ? named.getName() : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.log(Level.FINEST, e, () -> "No caller identity from " + type + " through " + loader);
            return null;
        }
    }
}
