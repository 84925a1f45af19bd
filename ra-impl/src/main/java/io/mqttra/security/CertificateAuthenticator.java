package io.mqttra.security;

import io.mqttra.broker.Authenticator;
import io.mqttra.broker.ClientIdentity;
import io.mqttra.broker.LoginRequest;
import io.mqttra.broker.LoginResult;
import io.mqttra.broker.LoginResult.Reason;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Names clients by the certificate they presented on a TLS listener with client authentication (the
 * listener's trust store has verified it): by default its subject's {@code CN}, or what a
 * {@link CertificateIdentity} says. The user name sent in CONNECT is ignored. A client without a
 * certificate, or whose subject lacks the attribute, is refused as {@link Reason#NOT_AUTHORIZED}.
 *
 * <p>Alone, it lets the client in with that name and no roles. With a password check, the login
 * goes on to that authenticator (a password file, JAAS, the server's realm) with the certificate's
 * name as user name and the password the client sent, and its answer, roles included, is the answer.
 */
public final class CertificateAuthenticator implements Authenticator {

    private final CertificateIdentity identity;
    private final Authenticator passwordCheck;

    public CertificateAuthenticator(CertificateIdentity identity) {
        this(identity, null);
    }

    /** @param passwordCheck where the login goes on with the certificate's name, or {@code null} for nowhere */
    public CertificateAuthenticator(CertificateIdentity identity, Authenticator passwordCheck) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.passwordCheck = passwordCheck;
    }

    @Override
    public CompletionStage<LoginResult> login(LoginRequest request) {
        if (request.certificates().isEmpty()) {
            return refused("no client certificate in the " + request);
        }
        X509Certificate certificate = request.certificates().get(0);
        Optional<String> name = identity.nameOf(certificate);
        if (name.isEmpty()) {
            return refused("the client certificate's subject '" + certificate.getSubjectX500Principal()
                    + "' has no " + identity.attribute() + " (" + request + ")");
        }
        if (passwordCheck == null) {
            return CompletableFuture.completedFuture(LoginResult.granted(ClientIdentity.of(name.get(), Set.of())));
        }
        return passwordCheck.login(new LoginRequest(request.listenerName(), request.clientId(), name.get(),
                request.password(), request.remoteAddress(), request.certificates(), request.protocolLevel()));
    }

    private static CompletionStage<LoginResult> refused(String why) {
        return CompletableFuture.completedFuture(LoginResult.refused(Reason.NOT_AUTHORIZED, why));
    }

    @Override
    public String toString() {
        return "clients named by " + identity + (passwordCheck == null ? "" : ", then " + passwordCheck);
    }
}
