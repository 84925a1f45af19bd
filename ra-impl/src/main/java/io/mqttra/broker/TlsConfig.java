package io.mqttra.broker;

import java.util.List;

/**
 * Key material and policy of the TLS listeners ({@code ssl://} and {@code wss://}).
 *
 * @param keyStore path of the key store with the server's private key and certificate chain
 * @param keyStorePassword its password
 * @param keyStoreType {@code PKCS12} or {@code JKS}
 * @param trustStore path of the trust store for client certificates, or {@code null}
 * @param trustStorePassword its password
 * @param trustStoreType {@code PKCS12} or {@code JKS}
 * @param clientAuth whether clients must present a certificate
 * @param protocols TLS protocol versions offered, e.g. TLSv1.2 and TLSv1.3
 */
public record TlsConfig(String keyStore, String keyStorePassword, String keyStoreType, String trustStore,
                        String trustStorePassword, String trustStoreType, ClientAuth clientAuth, List<String> protocols) {

    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** Client certificates: not asked for, asked for, or required. */
    public enum ClientAuth { NONE, OPTIONAL, REQUIRED }

    public TlsConfig {
        protocols = List.copyOf(protocols);
    }
}
