package io.mqttra.jca;

import io.mqttra.broker.ListenerConfig;
import io.mqttra.security.AccessRules;
import io.mqttra.security.AuthenticationMode;
import io.mqttra.security.BlockingLoginExecutor;
import io.mqttra.security.CertificateAuthenticator;
import io.mqttra.security.CertificateIdentity;
import io.mqttra.security.ConfiguredSecurity;
import io.mqttra.security.ContainerAuthenticator;
import io.mqttra.security.JaasAuthenticator;
import io.mqttra.security.RuleAuthorizer;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.work.SecurityContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The adapter's security, built from its properties: the authenticator of each listener's mode and
 * the topic permissions. Each problem is reported against the property that causes it, so that the
 * deployment fails naming it.
 */
final class AdapterSecurity implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AdapterSecurity.class.getName());

    /** Threads that run JAAS login modules, which may block (a database, a remote service). */
    private static final int LOGIN_THREADS = 4;

    /** Thrown with the property that is wrong. */
    static final class InvalidProperty extends Exception {
        final String property;

        InvalidProperty(String property, String problem) {
            super(problem);
            this.property = property;
        }
    }

    private final ConfiguredSecurity security;
    private final Set<String> beanShareNames;
    private BlockingLoginExecutor loginExecutor;

    private AdapterSecurity(ConfiguredSecurity security, Set<String> beanShareNames) {
        this.security = security;
        this.beanShareNames = beanShareNames;
    }

    ConfiguredSecurity security() {
        return security;
    }

    /** The share names of the beans' shared subscriptions, which MQTT clients may join only when a rule says so. */
    Set<String> beanShareNames() {
        return beanShareNames;
    }

    static AdapterSecurity of(SecurityProperties p, List<ListenerConfig> listeners, boolean clientCertificatesAsked,
                              BootstrapContext bootstrap) throws InvalidProperty {
        AuthenticationMode[] offered = {AuthenticationMode.CONTAINER, AuthenticationMode.JAAS, AuthenticationMode.CERTIFICATE,
                AuthenticationMode.ANONYMOUS};
        AuthenticationMode mode;
        try {
            mode = AuthenticationMode.parse(p.authentication, offered);
        } catch (IllegalArgumentException e) {
            throw new InvalidProperty("authentication", e.getMessage());
        }
        AccessRules rules = AccessRules.EMPTY;
        if (p.aclFile != null && !p.aclFile.isBlank()) {
            try {
                rules = AccessRules.read(Path.of(p.aclFile.trim()));
            } catch (RuntimeException e) {
                throw new InvalidProperty("aclFile", e.getMessage());
            }
        }
        if (p.aclRules != null && !p.aclRules.isBlank()) {
            try {
                rules = rules.plus(AccessRules.parseInline(p.aclRules, "aclRules"));
            } catch (RuntimeException e) {
                throw new InvalidProperty("aclRules", e.getMessage());
            }
        }
        if (p.sysTopicsRole == null || p.sysTopicsRole.isBlank()) {
            throw new InvalidProperty("sysTopicsRole", "must name a role");
        }
        if (p.maxConcurrentLogins == null || p.maxConcurrentLogins < 1) {
            throw new InvalidProperty("maxConcurrentLogins", "must be at least 1, not " + p.maxConcurrentLogins);
        }
        if (rules.isEmpty() && p.aclFile != null && !p.aclFile.isBlank()) {
            LOG.warning("MQTT-RA: aclFile " + p.aclFile.trim() + " holds no rule: every logged-in client may publish and"
                    + " subscribe to any topic but $SYS and the beans' shared groups");
        }
        Set<String> beanShareNames = ConcurrentHashMap.newKeySet();
        RuleAuthorizer authorizer = new RuleAuthorizer(rules, p.sysTopicsRole.trim(), beanShareNames::contains);
        LOG.info("MQTT-RA topic permissions: " + authorizer.describe());
        ConfiguredSecurity security = new ConfiguredSecurity(mode, authorizer, offered);
        AdapterSecurity adapter = new AdapterSecurity(security, beanShareNames);
        try {
            adapter.makeAuthenticators(p, listeners, clientCertificatesAsked, bootstrap);
        } catch (InvalidProperty | RuntimeException e) {
            adapter.close();
            throw e;
        }
        return adapter;
    }

    /** Makes the authenticators of the modes the listeners use, each checked against its own properties. */
    private void makeAuthenticators(SecurityProperties p, List<ListenerConfig> listeners, boolean clientCertificatesAsked,
                                    BootstrapContext bootstrap) throws InvalidProperty {
        Set<AuthenticationMode> used;
        try {
            used = security.modesOf(listeners);
        } catch (IllegalArgumentException e) {
            throw new InvalidProperty("listeners", e.getMessage());
        }
        boolean passwordToo = Boolean.TRUE.equals(p.certificatePasswordCheck);
        ContainerAuthenticator container = null;
        if (used.contains(AuthenticationMode.CONTAINER) || (used.contains(AuthenticationMode.CERTIFICATE) && passwordToo)) {
            if (bootstrap == null || !bootstrap.isContextSupported(SecurityContext.class)) {
                throw new InvalidProperty(used.contains(AuthenticationMode.CONTAINER) ? "authentication" : "certificatePasswordCheck",
                        "checking passwords with the server's security needs JCA security inflow (the SecurityContext work"
                                + " context), which this server does not offer");
            }
            container = new ContainerAuthenticator(bootstrap.getWorkManager(), p.maxConcurrentLogins);
            security.with(AuthenticationMode.CONTAINER, container);
        }
        if (used.contains(AuthenticationMode.JAAS)) {
            try {
                security.with(AuthenticationMode.JAAS, new JaasAuthenticator(p.jaasConfiguration, loginExecutor()));
            } catch (RuntimeException e) {
                throw new InvalidProperty("jaasConfiguration", e.getMessage());
            }
        }
        if (used.contains(AuthenticationMode.CERTIFICATE)) {
            try {
                CertificateIdentity identity = new CertificateIdentity(p.certificateUserName);
                security.with(AuthenticationMode.CERTIFICATE, new CertificateAuthenticator(identity, passwordToo ? container : null));
            } catch (RuntimeException e) {
                throw new InvalidProperty("certificateUserName", e.getMessage());
            }
        }
        try {
            security.check(listeners, clientCertificatesAsked);
        } catch (IllegalArgumentException e) {
            throw new InvalidProperty("listeners", e.getMessage());
        }
    }

    private synchronized BlockingLoginExecutor loginExecutor() {
        if (loginExecutor == null) {
            loginExecutor = new BlockingLoginExecutor(LOGIN_THREADS);
        }
        return loginExecutor;
    }

    @Override
    public synchronized void close() {
        if (loginExecutor != null) {
            loginExecutor.close();
            loginExecutor = null;
        }
    }
}
