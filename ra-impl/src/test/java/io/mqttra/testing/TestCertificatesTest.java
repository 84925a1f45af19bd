package io.mqttra.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCertificatesTest {

    static final TestCertificates CERTIFICATES = TestCertificates.create();

    @Test
    void clientAndServerCertificatesChainToTheCa() throws Exception {
        validate(CERTIFICATES.client("CN=device-1").certificate());
        validate(CERTIFICATES.server().certificate());
    }

    @Test
    void anUntrustedClientDoesNotChainToTheCa() {
        assertThrows(CertPathValidatorException.class, () -> validate(CERTIFICATES.untrustedClient("CN=device-1").certificate()));
    }

    @Test
    void theServerIsNamedLocalhostAnd127001() throws Exception {
        Set<String> names = Set.copyOf(CERTIFICATES.server().certificate().getSubjectAlternativeNames().stream()
                .map(name -> (String) name.get(1)).toList());
        assertEquals(Set.of("localhost", "127.0.0.1"), names);
    }

    @Test
    void writesStoresThatLoadWithThePassword(@TempDir Path dir) throws Exception {
        TestCertificates.Stores stores = CERTIFICATES.writeStores(dir, "store-pass");
        KeyStore client = load(stores.clientKeyStore(), "store-pass");
        X509Certificate certificate = (X509Certificate) client.getCertificate("key");
        assertEquals(TestCertificates.CLIENT_SUBJECT, certificate.getSubjectX500Principal().getName());
        assertTrue(client.isKeyEntry("key"));
        assertTrue(load(stores.serverKeyStore(), "store-pass").isKeyEntry("key"));
        assertTrue(load(stores.untrustedClientKeyStore(), "store-pass").isKeyEntry("key"));
        assertEquals(CERTIFICATES.caCertificate(), load(stores.trustStore(), "store-pass").getCertificate("ca-0"));
    }

    private static void validate(X509Certificate certificate) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(CERTIFICATES.caCertificate(), null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(certificate)), parameters);
    }

    private static KeyStore load(Path file, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }
}
