package io.mqttra.security;

import io.mqttra.api.security.CertificateChainCallback;
import io.mqttra.api.security.ClientIdCallback;
import io.mqttra.api.security.ListenerNameCallback;
import io.mqttra.api.security.RemoteAddressCallback;
import io.mqttra.broker.LoginRequest;
import java.security.cert.X509Certificate;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;

/**
 * Answers a JAAS login module's questions from what the client presented at CONNECT: the standard
 * {@link NameCallback} and {@link PasswordCallback}, and ra-api's callbacks for the client identifier,
 * its address, the listener's name and its certificate chain. Anything else is unsupported. What the
 * client did not send is answered with {@code null} (an empty chain for the certificates).
 */
final class LoginCallbackHandler implements CallbackHandler {

    private final LoginRequest request;
    private final char[] password;

    /** @param password the request's password as characters; the caller clears it after the login */
    LoginCallbackHandler(LoginRequest request, char[] password) {
        this.request = request;
        this.password = password;
    }

    @Override
    public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback name) {
                name.setName(request.userName());
            } else if (callback instanceof PasswordCallback passwordCallback) {
                passwordCallback.setPassword(password); // PasswordCallback keeps a copy
            } else if (callback instanceof ClientIdCallback clientId) {
                clientId.setClientId(request.clientId());
            } else if (callback instanceof RemoteAddressCallback address) {
                address.setAddress(request.remoteAddress());
            } else if (callback instanceof ListenerNameCallback listener) {
                listener.setListenerName(request.listenerName());
            } else if (callback instanceof CertificateChainCallback chain) {
                chain.setChain(request.certificates().toArray(X509Certificate[]::new));
            } else {
                throw new UnsupportedCallbackException(callback, "MQTT-RA cannot answer a " + callback.getClass().getName());
            }
        }
    }
}
