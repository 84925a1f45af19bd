package io.mqttra.broker;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** Builds the server-side TLS context from the key and trust stores, with messages that say what failed. */
final class TlsContexts {

    private TlsContexts() {
    }

    static SslContext serverContext(TlsConfig tls) throws BrokerStartException {
        if (tls == null || tls.keyStore() == null || tls.keyStore().isBlank()) {
            throw new BrokerStartException("a TLS listener needs a key store (property keyStore)", null);
        }
        try {
            KeyStore keys = load(tls.keyStore(), tls.keyStorePassword(), tls.keyStoreType(), "key store");
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password(tls.keyStorePassword()));
            SslContextBuilder builder = SslContextBuilder.forServer(kmf)
                    .sslProvider(SslProvider.JDK)
                    .protocols(tls.protocols());
            if (tls.trustStore() != null && !tls.trustStore().isBlank()) {
                KeyStore trusted = load(tls.trustStore(), tls.trustStorePassword(), tls.trustStoreType(), "trust store");
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trusted);
                builder.trustManager(loggingRejections(tmf));
            } else if (tls.clientAuth() != TlsConfig.ClientAuth.NONE) {
                throw new BrokerStartException("client certificates (clientAuth=" + tls.clientAuth()
                        + ") need a trust store (property trustStore)", null);
            }
            builder.clientAuth(switch (tls.clientAuth()) {
                case NONE -> ClientAuth.NONE;
                case OPTIONAL -> ClientAuth.OPTIONAL;
                case REQUIRED -> ClientAuth.REQUIRE;
            });
            return builder.build();
        } catch (GeneralSecurityException | IOException e) {
            throw new BrokerStartException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static TrustManager loggingRejections(TrustManagerFactory tmf) {
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x509) {
                return new RejectionLoggingTrustManager(x509);
            }
        }
        throw new IllegalStateException("the JDK's trust manager factory made no X509ExtendedTrustManager");
    }

    private static KeyStore load(String path, String password, String type, String what)
            throws GeneralSecurityException, IOException, BrokerStartException {
        KeyStore store = KeyStore.getInstance(type == null || type.isBlank() ? "PKCS12" : type);
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            store.load(in, password(password));
        } catch (NoSuchFileException e) {
            throw new BrokerStartException("the " + what + " " + path + " does not exist", e);
        } catch (IOException e) {
            // a wrong password shows as an IOException with an UnrecoverableKeyException cause
            throw new BrokerStartException("cannot read the " + what + " " + path + " (wrong password or type?): "
                    + e.getMessage(), e);
        }
        return store;
    }

    private static char[] password(String password) {
        return password == null ? new char[0] : password.toCharArray();
    }
}
