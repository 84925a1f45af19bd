package io.mqttra.broker;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.logging.Logger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust store's checks, with each refused client certificate logged: its subject, its issuer, the
 * client's address and why. A client whose handshake fails otherwise learns nothing the operator does
 * not see; rate-limited, as a client can cause it at will.
 */
final class RejectionLoggingTrustManager extends X509ExtendedTrustManager {

    private static final RateLimitedLog REFUSALS = new RateLimitedLog(Logger.getLogger(RejectionLoggingTrustManager.class.getName()),
            10_000);

    private final X509ExtendedTrustManager trusted;

    RejectionLoggingTrustManager(X509ExtendedTrustManager trusted) {
        this.trusted = trusted;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        try {
            trusted.checkClientTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            refused(chain, engine == null ? "?" : engine.getPeerHost() + ":" + engine.getPeerPort(), e);
            throw e;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        try {
            trusted.checkClientTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            refused(chain, socket == null ? "?" : String.valueOf(socket.getRemoteSocketAddress()), e);
            throw e;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            trusted.checkClientTrusted(chain, authType);
        } catch (CertificateException e) {
            refused(chain, "?", e);
            throw e;
        }
    }

    private static void refused(X509Certificate[] chain, String from, CertificateException why) {
        X509Certificate client = chain == null || chain.length == 0 ? null : chain[0];
        REFUSALS.info(() -> "Refused the TLS client certificate "
                + (client == null ? "(none)" : "of '" + client.getSubjectX500Principal().getName() + "' issued by '"
                        + client.getIssuerX500Principal().getName() + "'")
                + " from " + from + ": " + why.getMessage());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        trusted.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        trusted.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        trusted.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return trusted.getAcceptedIssuers();
    }
}
