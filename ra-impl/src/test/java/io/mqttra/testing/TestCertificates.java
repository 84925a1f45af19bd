package io.mqttra.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI made in memory when a test starts: a CA, a server certificate for
 * 127.0.0.1/localhost, client certificates with any subject, and a second CA that no trust store
 * holds. Keys are EC P-256 (fast to make); certificates are valid from an hour ago for two days.
 * Nothing is committed, nothing is read from disk.
 *
 * <p>Subjects are written in RFC 2253 order, most specific first ({@code CN=device-1,OU=sensors,O=ACME}),
 * and parsed by {@link X500Principal}, which also knows {@code EMAILADDRESS}, {@code SERIALNUMBER},
 * {@code GIVENNAME} and {@code SURNAME}.
 *
 * <p>Shared with arquillian-tests through ra-impl's test jar (which needs Bouncy Castle's
 * {@code bcpkix-jdk18on} on its test class path too).
 */
public final class TestCertificates {

    /** A private key and its certificate chain, the key's own certificate first. */
    public record Issued(PrivateKey key, X509Certificate... chain) {

        public Issued {
            chain = chain.clone();
        }

        @Override
        public X509Certificate[] chain() {
            return chain.clone();
        }

        public X509Certificate certificate() {
            return chain[0];
        }
    }

    /** PKCS12 stores written by {@link #writeStores}, all with one password. */
    public record Stores(Path serverKeyStore, Path clientKeyStore, Path untrustedClientKeyStore, Path trustStore,
                         String password) {
    }

    /** The subject of the client certificate in {@link #writeStores}. */
    public static final String CLIENT_SUBJECT = "CN=device-1,OU=sensors,O=MQTT-RA Test";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Issued ca;
    private final Issued untrustedCa;
    private final Issued server;

    private TestCertificates() throws GeneralSecurityException {
        ca = selfSignedCa("CN=MQTT-RA Test CA,O=MQTT-RA Test");
        untrustedCa = selfSignedCa("CN=Untrusted Test CA,O=Elsewhere");
        KeyPair serverKeys = newKeyPair();
        server = new Issued(serverKeys.getPrivate(), issue(ca, new X500Principal("CN=localhost,O=MQTT-RA Test"),
                serverKeys, KeyPurposeId.id_kp_serverAuth, true), ca.certificate());
    }

    public static TestCertificates create() {
        try {
            return new TestCertificates();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the test certificates", e);
        }
    }

    public X509Certificate caCertificate() {
        return ca.certificate();
    }

    public X509Certificate untrustedCaCertificate() {
        return untrustedCa.certificate();
    }

    /** The server's key and chain: subject {@code CN=localhost}, names 127.0.0.1 and localhost. */
    public Issued server() {
        return server;
    }

    /** A client certificate for TLS client authentication, signed by the CA. */
    public Issued client(String subject) {
        return clientOf(ca, subject);
    }

    /** A client certificate signed by a CA that no trust store written here holds. */
    public Issued untrustedClient(String subject) {
        return clientOf(untrustedCa, subject);
    }

    /**
     * Writes {@code server.p12}, {@code client.p12} (subject {@link #CLIENT_SUBJECT}),
     * {@code untrusted-client.p12} (the same subject, from the untrusted CA) and {@code trust.p12} (the CA).
     */
    public Stores writeStores(Path dir, String password) {
        Stores stores = new Stores(dir.resolve("server.p12"), dir.resolve("client.p12"),
                dir.resolve("untrusted-client.p12"), dir.resolve("trust.p12"), password);
        writeKeyStore(stores.serverKeyStore(), password, server);
        writeKeyStore(stores.clientKeyStore(), password, client(CLIENT_SUBJECT));
        writeKeyStore(stores.untrustedClientKeyStore(), password, untrustedClient(CLIENT_SUBJECT));
        writeTrustStore(stores.trustStore(), password, caCertificate());
        return stores;
    }

    /** A PKCS12 key store with one key entry, alias {@code key}. */
    public static void writeKeyStore(Path file, String password, Issued issued) {
        write(file, password, store -> store.setKeyEntry("key", issued.key(), password.toCharArray(), issued.chain()));
    }

    /** A PKCS12 trust store with the certificates as trusted entries, aliases {@code ca-0}, {@code ca-1}... */
    public static void writeTrustStore(Path file, String password, X509Certificate... trusted) {
        write(file, password, store -> {
            for (int i = 0; i < trusted.length; i++) {
                store.setCertificateEntry("ca-" + i, trusted[i]);
            }
        });
    }

    private interface StoreFiller {
        void fill(KeyStore store) throws GeneralSecurityException;
    }

    private static void write(Path file, String password, StoreFiller filler) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            filler.fill(store);
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password.toCharArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
    }

    private static Issued clientOf(Issued issuer, String subject) {
        try {
            KeyPair keys = newKeyPair();
            return new Issued(keys.getPrivate(),
                    issue(issuer, new X500Principal(subject), keys, KeyPurposeId.id_kp_clientAuth, false),
                    issuer.certificate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a client certificate for " + subject, e);
        }
    }

    private static Issued selfSignedCa(String subject) throws GeneralSecurityException {
        KeyPair keys = newKeyPair();
        X500Principal name = new X500Principal(subject);
        JcaX509v3CertificateBuilder builder = builder(name, name, keys);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (CertIOException e) {
            throw new IllegalStateException(e);
        }
        return new Issued(keys.getPrivate(), sign(builder, keys.getPrivate()));
    }

    private static X509Certificate issue(Issued issuer, X500Principal subject, KeyPair keys, KeyPurposeId purpose,
                                         boolean serverNames) throws GeneralSecurityException {
        JcaX509v3CertificateBuilder builder = builder(issuer.certificate().getSubjectX500Principal(), subject, keys);
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(issuer.certificate()))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            if (serverNames) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                        new GeneralName(GeneralName.dNSName, "localhost")}));
            }
        } catch (CertIOException e) {
            throw new IllegalStateException(e);
        }
        return sign(builder, issuer.key());
    }

    private static JcaX509v3CertificateBuilder builder(X500Principal issuer, X500Principal subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }
}
