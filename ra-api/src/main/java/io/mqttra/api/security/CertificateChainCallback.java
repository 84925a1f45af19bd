package io.mqttra.api.security;

import java.security.cert.X509Certificate;
import javax.security.auth.callback.Callback;

/**
 * Asks for the certificate chain the client presented on a TLS listener with client authentication,
 * the client's own certificate first. Empty on a plain listener or when the client sent none.
 */
public final class CertificateChainCallback implements Callback {

    private X509Certificate[] chain = new X509Certificate[0];

    public X509Certificate[] getChain() {
        return chain.clone();
    }

    public void setChain(X509Certificate[] chain) {
        this.chain = chain == null ? new X509Certificate[0] : chain.clone();
    }
}
