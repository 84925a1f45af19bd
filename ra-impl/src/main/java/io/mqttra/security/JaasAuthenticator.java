package io.mqttra.security;

import io.mqttra.broker.Authenticator;
import io.mqttra.broker.ClientIdentity;
import io.mqttra.broker.LoginRequest;
import io.mqttra.broker.LoginResult;
import io.mqttra.broker.LoginResult.Reason;
import java.security.Principal;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import javax.security.auth.Subject;
import javax.security.auth.login.AccountExpiredException;
import javax.security.auth.login.AccountLockedException;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

/**
 * Logs clients in through a JAAS login configuration, on the login threads of a
 * {@link BlockingLoginExecutor}, as login modules block. The modules get the user name and password
 * through {@code NameCallback} and {@code PasswordCallback}, and the client identifier, address,
 * listener name and certificate chain through ra-api's callbacks ({@link LoginCallbackHandler}).
 *
 * <p>What the client becomes when the modules accept it: its name is the user name it sent or, when
 * it sent none, the name of the first principal the modules put in the Subject; its roles are the
 * names of the Subject's other principals (every principal whose name is not the client's name). A
 * login that leaves no name at all (no user name, no principal) is refused. The Subject is only read:
 * the login context is not logged out, as nothing is held for the connection.
 *
 * <p>Refusals: a {@link LoginException} ({@code FailedLoginException}, {@code AccountNotFoundException}...)
 * is {@link Reason#BAD_CREDENTIALS}; {@link AccountExpiredException} and {@link AccountLockedException}
 * (the credentials are right, the account may not log in) are {@link Reason#NOT_AUTHORIZED}; a configuration
 * whose entry is gone since, or a module that throws an {@code Error}, is {@link Reason#UNAVAILABLE}.
 * A module's unexpected exception (its directory is down) cannot be told apart: the JDK's
 * {@link LoginContext} hands it on as a plain {@link LoginException}, so it counts as
 * {@link Reason#BAD_CREDENTIALS}, and the refusal's text says what it was.
 */
public final class JaasAuthenticator implements Authenticator {

    private final String configurationName;
    /** {@code null} for the JVM's current one, resolved by each LoginContext. */
    private final Configuration configuration;
    private final BlockingLoginExecutor executor;

    /**
     * Uses the JVM's JAAS configuration ({@code java.security.auth.login.config}, or the server's).
     *
     * @throws IllegalArgumentException when it has no entry of that name
     */
    public JaasAuthenticator(String configurationName, BlockingLoginExecutor executor) {
        this(configurationName, null, executor);
    }

    /**
     * @param configuration where the entry is, or {@code null} for the JVM's
     * @throws IllegalArgumentException when it has no entry of that name
     */
    public JaasAuthenticator(String configurationName, Configuration configuration, BlockingLoginExecutor executor) {
        this.configurationName = Objects.requireNonNull(configurationName, "configurationName");
        this.configuration = configuration;
        this.executor = Objects.requireNonNull(executor, "executor");
        requireEntry();
    }

    private void requireEntry() {
        String problem;
        try {
            Configuration c = configuration != null ? configuration : Configuration.getConfiguration();
            problem = c.getAppConfigurationEntry(configurationName) != null ? null : "it has no entry of that name";
        } catch (SecurityException e) {
            // the JVM's configuration could not be loaded (no file set, or an unreadable one)
            problem = e.getMessage();
        }
        if (problem != null) {
            throw new IllegalArgumentException("no JAAS login configuration '" + configurationName + "' in "
                    + (configuration != null ? "the configuration given" : "the JVM's JAAS configuration") + ": " + problem);
        }
    }

    @Override
    public CompletionStage<LoginResult> login(LoginRequest request) {
        return executor.submit(request, this::check);
    }

    LoginResult check(LoginRequest request) {
        char[] password = request.passwordChars();
        try {
            LoginContext context;
            try {
                context = new LoginContext(configurationName, new Subject(), new LoginCallbackHandler(request, password),
                        configuration);
            } catch (LoginException e) {
                return refused(Reason.UNAVAILABLE, request, "cannot be used", e);
            }
            context.login();
            return identityOf(request.userName(), context.getSubject())
                    .map(LoginResult::granted)
                    .orElseGet(() -> LoginResult.refused(Reason.NOT_AUTHORIZED, "JAAS login configuration '"
                            + configurationName + "' accepted the " + request + " but named no user (no principal)"));
        } catch (AccountExpiredException | AccountLockedException e) {
            return refused(Reason.NOT_AUTHORIZED, request, "refused", e);
        } catch (LoginException e) {
            return refused(Reason.BAD_CREDENTIALS, request, "refused", e);
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    private LoginResult refused(Reason reason, LoginRequest request, String what, LoginException e) {
        // the first line only: a LoginContext puts a whole stack trace in the message of a module's exception
        String message = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
        return LoginResult.refused(reason, "JAAS login configuration '" + configurationName + "' " + what + " the "
                + request + ": " + e.getClass().getName() + message);
    }

    /** The name as the class comment says, and the other principals' names as roles. */
    static Optional<ClientIdentity> identityOf(String userName, Subject subject) {
        Set<String> names = new LinkedHashSet<>();
        subject.getPrincipals().stream().map(Principal::getName).filter(Objects::nonNull).forEach(names::add);
        String name = userName != null ? userName : names.stream().findFirst().orElse(null);
        if (name == null) {
            return Optional.empty();
        }
        names.remove(name);
        return Optional.of(ClientIdentity.of(name, names));
    }

    @Override
    public String toString() {
        return "JAAS logins with configuration '" + configurationName + "'";
    }
}
