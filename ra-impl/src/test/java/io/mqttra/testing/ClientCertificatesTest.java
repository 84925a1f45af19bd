package io.mqttra.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientCertificatesTest {

    static final ClientCertificates CERTIFICATES = ClientCertificates.create();

    @Test
    void aClientCertificateHasItsSubjectAndChainsToTheCa() throws Exception {
        X509Certificate certificate = CERTIFICATES.client(ClientCertificates.CLIENT_SUBJECT).certificate();
        assertEquals(ClientCertificates.CLIENT_SUBJECT, certificate.getSubjectX500Principal().getName());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), certificate.getExtendedKeyUsage(), "client authentication");
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(CERTIFICATES.caCertificate(), null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(certificate)), parameters);
    }
}
