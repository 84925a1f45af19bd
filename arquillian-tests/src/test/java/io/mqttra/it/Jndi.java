package io.mqttra.it;

import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The JNDI names of the adapter's resources, as the tests write them: WildFly's ({@code java:/mqtt/...}).
 * Open Liberty binds nothing at {@code java:/} names (its server.xml refuses {@code java:} in
 * {@code jndiName}), so its test server (src/test/liberty) binds the same resources at the name without
 * that prefix, and on Liberty a lookup goes there. In-container tests add this class to their WAR.
 */
public final class Jndi {

    private static final String WILDFLY_PREFIX = "java:/";

    private Jndi() {
    }

    /** Where Liberty binds what WildFly binds at {@code wildFlyName}; other names are the same on both. */
    public static String libertyName(String wildFlyName) {
        return wildFlyName.startsWith(WILDFLY_PREFIX) ? wildFlyName.substring(WILDFLY_PREFIX.length()) : wildFlyName;
    }

    /** Whether this code runs inside Open Liberty (which sets wlp.install.dir for its applications). */
    static boolean inLiberty() {
        return System.getProperty("wlp.install.dir") != null;
    }

    /** Looks {@code wildFlyName} up in the server this code runs in, under that server's name for it. */
    @SuppressWarnings("unchecked")
    static <T> T lookup(String wildFlyName) throws NamingException {
        return (T) new InitialContext().lookup(inLiberty() ? libertyName(wildFlyName) : wildFlyName);
    }
}
