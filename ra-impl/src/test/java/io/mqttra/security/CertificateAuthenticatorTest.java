package io.mqttra.security;

import static io.mqttra.security.LoginRequests.answer;
import static io.mqttra.security.LoginRequests.granted;
import static io.mqttra.security.LoginRequests.login;
import static io.mqttra.security.LoginRequests.refused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.broker.Authenticator;
import io.mqttra.broker.ClientIdentity;
import io.mqttra.broker.LoginRequest;
import io.mqttra.broker.LoginResult;
import io.mqttra.broker.LoginResult.Reason;
import io.mqttra.testing.ClientCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthenticatorTest {

    static final ClientCertificates CERTIFICATES = ClientCertificates.create();
    static final X509Certificate[] DEVICE = CERTIFICATES.client("CN=device-1,OU=sensors,O=ACME").chain();

    @Test
    void theCertificatesCommonNameNamesTheClientWhateverUserNameItSent() throws Exception {
        Authenticator authenticator = new CertificateAuthenticator(CertificateIdentity.COMMON_NAME);
        assertEquals(ClientIdentity.of("device-1", Set.of()),
                granted(answer(authenticator.login(login("someone-else", null, DEVICE)))));
    }

    @Test
    void anotherAttributeWhenConfigured() throws Exception {
        Authenticator authenticator = new CertificateAuthenticator(new CertificateIdentity("OU"));
        assertEquals("sensors", granted(answer(authenticator.login(login(null, null, DEVICE)))).name());
    }

    @Test
    void noCertificateIsNotAuthorized() throws Exception {
        LoginResult.Refused refusal = refused(answer(
                new CertificateAuthenticator(CertificateIdentity.COMMON_NAME).login(login("alice", "secret"))));
        assertEquals(Reason.NOT_AUTHORIZED, refusal.reason());
        assertTrue(refusal.why().contains("no client certificate"), refusal.why());
    }

    @Test
    void aSubjectWithoutTheAttributeIsNotAuthorized() throws Exception {
        LoginResult.Refused refusal = refused(answer(
                new CertificateAuthenticator(new CertificateIdentity("UID")).login(login(null, null, DEVICE))));
        assertEquals(Reason.NOT_AUTHORIZED, refusal.reason());
        assertTrue(refusal.why().contains("CN=device-1") && refusal.why().contains("no UID"), refusal.why());
    }

    @Test
    void aPasswordCheckGetsTheCertificatesNameAndTheClientsPassword() throws Exception {
        CompletableFuture<LoginRequest> seen = new CompletableFuture<>();
        LoginResult operator = LoginResult.granted(ClientIdentity.of("device-1", Set.of("operators")));
        Authenticator passwordCheck = request -> {
            seen.complete(request);
            return CompletableFuture.completedFuture(operator);
        };
        Authenticator authenticator = new CertificateAuthenticator(CertificateIdentity.COMMON_NAME, passwordCheck);
        assertSame(operator, answer(authenticator.login(login("someone-else", "secret", DEVICE))));
        assertEquals("device-1", seen.get().userName());
        assertArrayEquals("secret".getBytes(StandardCharsets.UTF_8), seen.get().password());
        assertEquals("client-1", seen.get().clientId());
        assertEquals(DEVICE[0], seen.get().certificates().get(0));
    }

    @Test
    void thePasswordChecksRefusalIsTheAnswer(@TempDir Path dir) throws Exception {
        try (BlockingLoginExecutor executor = new BlockingLoginExecutor(1)) {
            Authenticator passwordFile = new PasswordFileAuthenticator(
                    MosquittoPasswd.add(dir.resolve("passwd"), "device-1", "secret", null), executor);
            Authenticator authenticator = new CertificateAuthenticator(CertificateIdentity.COMMON_NAME, passwordFile);
            assertEquals("device-1", granted(answer(authenticator.login(login(null, "secret", DEVICE)))).name());
            assertEquals(Reason.BAD_CREDENTIALS, refused(answer(authenticator.login(login(null, "wrong", DEVICE)))).reason());
        }
    }
}
