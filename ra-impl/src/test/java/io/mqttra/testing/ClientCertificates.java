package io.mqttra.testing;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
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
 * Client certificates with any subject, signed by a throw-away CA, made in memory when a test starts:
 * for tests of what a certificate's subject means. Keys are EC P-256 (fast to make); certificates are
 * valid from an hour ago for two days. Nothing is committed, nothing is written. Key and trust stores
 * for TLS listeners come from {@code io.mqttra.broker.TestCertificates} (the JDK's keytool).
 *
 * <p>Subjects are written in RFC 2253 order, most specific first ({@code CN=device-1,OU=sensors,O=ACME}),
 * and parsed by {@link X500Principal}, which also knows {@code EMAILADDRESS}, {@code SERIALNUMBER},
 * {@code GIVENNAME} and {@code SURNAME}.
 */
public final class ClientCertificates {

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


    /** A subject with several attributes. */
    public static final String CLIENT_SUBJECT = "CN=device-1,OU=sensors,O=MQTT-RA Test";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Issued ca;

    private ClientCertificates() throws GeneralSecurityException {
        ca = selfSignedCa("CN=MQTT-RA Test CA,O=MQTT-RA Test");
    }

    public static ClientCertificates create() {
        try {
            return new ClientCertificates();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the test certificates", e);
        }
    }

    public X509Certificate caCertificate() {
        return ca.certificate();
    }

    /** A client certificate for TLS client authentication, signed by the CA. */
    public Issued client(String subject) {
        return clientOf(ca, subject);
    }

    private static Issued clientOf(Issued issuer, String subject) {
        try {
            KeyPair keys = newKeyPair();
            return new Issued(keys.getPrivate(),
                    issue(issuer, new X500Principal(subject), keys),
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

    private static X509Certificate issue(Issued issuer, X500Principal subject, KeyPair keys) throws GeneralSecurityException {
        JcaX509v3CertificateBuilder builder = builder(issuer.certificate().getSubjectX500Principal(), subject, keys);
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(issuer.certificate()))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
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
