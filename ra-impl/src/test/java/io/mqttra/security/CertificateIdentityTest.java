package io.mqttra.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.testing.ClientCertificates;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CertificateIdentityTest {

    static final ClientCertificates CERTIFICATES = ClientCertificates.create();
    static final X509Certificate DEVICE = CERTIFICATES.client(
            "CN=device-1,UID=d1,EMAILADDRESS=ops@example.com,OU=sensors,OU=plant-7,O=ACME,C=DE").certificate();

    @Test
    void theCommonNameByDefault() {
        assertEquals(Optional.of("device-1"), CertificateIdentity.COMMON_NAME.nameOf(DEVICE));
    }

    @Test
    void anyAttributeInAnyCase() {
        assertEquals(Optional.of("d1"), new CertificateIdentity("uid").nameOf(DEVICE));
        assertEquals(Optional.of("ACME"), new CertificateIdentity("O").nameOf(DEVICE));
        assertEquals(Optional.of("DE"), new CertificateIdentity("C").nameOf(DEVICE));
    }

    @Test
    void theEmailAddressAsTextByEitherName() {
        assertEquals(Optional.of("ops@example.com"), new CertificateIdentity("emailAddress").nameOf(DEVICE));
        assertEquals(Optional.of("ops@example.com"), new CertificateIdentity("E").nameOf(DEVICE));
    }

    @Test
    void aRepeatedAttributeGivesTheMostSpecific() {
        assertEquals(Optional.of("sensors"), new CertificateIdentity("OU").nameOf(DEVICE));
    }

    @Test
    void dnGivesTheWholeSubjectInRfc2253Form() {
        X509Certificate plain = CERTIFICATES.client("CN=device-2, OU=sensors, O=ACME").certificate();
        assertEquals(Optional.of("CN=device-2,OU=sensors,O=ACME"), new CertificateIdentity("DN").nameOf(plain));
    }

    @Test
    void aMissingAttributeGivesNothing() {
        assertEquals(Optional.empty(), new CertificateIdentity("SERIALNUMBER").nameOf(DEVICE));
        X509Certificate withoutCn = CERTIFICATES.client("UID=d3,O=ACME").certificate();
        assertEquals(Optional.empty(), CertificateIdentity.COMMON_NAME.nameOf(withoutCn));
    }

    @Test
    void anUnknownAttributeIsRefusedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CertificateIdentity("XYZ"));
        assertTrue(e.getMessage().contains("'XYZ'") && e.getMessage().contains("CN") && e.getMessage().contains("DN"),
                e.getMessage());
    }
}
