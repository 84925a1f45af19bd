package io.mqttra.security;

import io.mqttra.api.security.CertificateChainCallback;
import io.mqttra.api.security.ClientIdCallback;
import io.mqttra.api.security.ListenerNameCallback;
import io.mqttra.api.security.RemoteAddressCallback;
import java.io.IOException;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AccountExpiredException;
import javax.security.auth.login.AccountLockedException;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

/**
 * A JAAS login module for the tests: accepts {@code alice} with password {@code secret}, refuses
 * {@code locked} and {@code expired} with the account exceptions, and fails unexpectedly for
 * {@code broken}. Its options:
 * <ul>
 * <li>{@code roles}: comma-separated role principals to add;
 * <li>{@code clientId}, {@code listener}, {@code address}, {@code certificateSubject}: what the
 * callbacks must answer (the refusal says what came instead);
 * <li>{@code principalWhenNoUser}: a client without a user name is accepted, with this principal if not empty.
 * </ul>
 */
public final class TestLoginModule implements LoginModule {

    /** A principal that is just a name. */
    public record NamedPrincipal(String name) implements Principal {
        @Override
        public String getName() {
            return name;
        }
    }

    private Subject subject;
    private CallbackHandler handler;
    private Map<String, ?> options;
    private final List<Principal> toAdd = new ArrayList<>();

    @Override
    public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> sharedState, Map<String, ?> options) {
        this.subject = subject;
        this.handler = handler;
        this.options = options;
    }

    @Override
    public boolean login() throws LoginException {
        NameCallback name = new NameCallback("user");
        PasswordCallback password = new PasswordCallback("password", false);
        ClientIdCallback clientId = new ClientIdCallback();
        RemoteAddressCallback address = new RemoteAddressCallback();
        ListenerNameCallback listener = new ListenerNameCallback();
        CertificateChainCallback chain = new CertificateChainCallback();
        try {
            handler.handle(new Callback[] {name, password, clientId, address, listener, chain});
        } catch (IOException | UnsupportedCallbackException e) {
            throw new LoginException("callbacks failed: " + e);
        }
        expect("clientId", clientId.getClientId());
        expect("listener", listener.getListenerName());
        expect("address", String.valueOf(address.getAddress()));
        expect("certificateSubject", chain.getChain().length == 0 ? "none"
                : chain.getChain()[0].getSubjectX500Principal().getName());

        String user = name.getName();
        char[] secret = password.getPassword();
        password.clearPassword();
        if (user == null && options.containsKey("principalWhenNoUser")) {
            String principal = (String) options.get("principalWhenNoUser");
            if (!principal.isEmpty()) {
                toAdd.add(new NamedPrincipal(principal));
            }
        } else if ("locked".equals(user)) {
            throw new AccountLockedException("account locked");
        } else if ("expired".equals(user)) {
            throw new AccountExpiredException("account expired");
        } else if ("broken".equals(user)) {
            throw new IllegalStateException("the directory is down");
        } else if ("alice".equals(user) && Arrays.equals("secret".toCharArray(), secret)) {
            toAdd.add(new NamedPrincipal(user));
        } else {
            throw new FailedLoginException("wrong user name or password");
        }
        String roles = (String) options.get("roles");
        if (roles != null && !roles.isEmpty()) {
            Arrays.stream(roles.split(",")).map(NamedPrincipal::new).forEach(toAdd::add);
        }
        return true;
    }

    private void expect(String option, String actual) throws LoginException {
        Object expected = options.get(option);
        if (expected != null && !Objects.equals(expected, actual)) {
            throw new FailedLoginException(option + ": expected " + expected + ", got " + actual);
        }
    }

    @Override
    public boolean commit() {
        subject.getPrincipals().addAll(toAdd);
        return true;
    }

    @Override
    public boolean abort() {
        toAdd.clear();
        return true;
    }

    @Override
    public boolean logout() {
        subject.getPrincipals().removeAll(toAdd);
        return true;
    }
}
