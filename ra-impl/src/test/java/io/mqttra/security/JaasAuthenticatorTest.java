package io.mqttra.security;

import static io.mqttra.security.LoginRequests.ADDRESS;
import static io.mqttra.security.LoginRequests.answer;
import static io.mqttra.security.LoginRequests.granted;
import static io.mqttra.security.LoginRequests.login;
import static io.mqttra.security.LoginRequests.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.broker.ClientIdentity;
import io.mqttra.broker.LoginResult;
import io.mqttra.broker.LoginResult.Reason;
import io.mqttra.testing.ClientCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.URIParameter;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Set;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;
import javax.security.auth.login.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JaasAuthenticatorTest {

    static final String NAME = "mqtt-test";

    final BlockingLoginExecutor executor = new BlockingLoginExecutor(2);

    @AfterEach
    void close() {
        executor.close();
    }

    @Test
    void anAcceptedUserHasTheOtherPrincipalsAsRoles() throws Exception {
        JaasAuthenticator authenticator = authenticator(Map.of("roles", "operators,devices"));
        assertEquals(ClientIdentity.of("alice", Set.of("operators", "devices")),
                granted(answer(authenticator.login(login("alice", "secret")))));
    }

    @Test
    void theModuleIsToldTheClientIdAddressListenerAndCertificateChain() throws Exception {
        X509Certificate[] chain = ClientCertificates.create().client("CN=device-1,O=MQTT-RA Test").chain();
        JaasAuthenticator authenticator = authenticator(Map.of("clientId", "client-1", "listener", "ssl-8883",
                "address", ADDRESS.toString(), "certificateSubject", "CN=device-1,O=MQTT-RA Test"));
        assertEquals("alice", granted(answer(authenticator.login(login("alice", "secret", chain)))).name());
    }

    @Test
    void theModuleIsToldThereIsNoCertificateOnAPlainConnection() throws Exception {
        JaasAuthenticator authenticator = authenticator(Map.of("certificateSubject", "none"));
        assertEquals("alice", granted(answer(authenticator.login(login("alice", "secret")))).name());
    }

    @Test
    void aWrongPasswordIsBadCredentialsAndTheWhyHasNoPassword() throws Exception {
        LoginResult.Refused refusal = refused(answer(authenticator(Map.of()).login(login("alice", "guessed-wrong"))));
        assertEquals(Reason.BAD_CREDENTIALS, refusal.reason());
        assertTrue(refusal.why().contains(NAME) && refusal.why().contains("alice"), refusal.why());
        assertFalse(refusal.why().contains("guessed-wrong"), refusal.why());
    }

    @Test
    void anUnknownUserIsBadCredentials() throws Exception {
        assertEquals(Reason.BAD_CREDENTIALS, refused(answer(authenticator(Map.of()).login(login("bob", "secret")))).reason());
    }

    @Test
    void aLockedOrExpiredAccountIsNotAuthorized() throws Exception {
        JaasAuthenticator authenticator = authenticator(Map.of());
        assertEquals(Reason.NOT_AUTHORIZED, refused(answer(authenticator.login(login("locked", "x")))).reason());
        assertEquals(Reason.NOT_AUTHORIZED, refused(answer(authenticator.login(login("expired", "x")))).reason());
    }

    @Test
    void aModuleThatFailsIsRefusedWithTheFirstLineOfWhatWentWrong() throws Exception {
        // LoginContext hands a module's exception on as a plain LoginException, its stack trace as message
        LoginResult.Refused refusal = refused(answer(authenticator(Map.of()).login(login("broken", "x"))));
        assertEquals(Reason.BAD_CREDENTIALS, refusal.reason());
        assertTrue(refusal.why().contains("IllegalStateException: the directory is down"), refusal.why());
        assertFalse(refusal.why().contains("\n"), refusal.why());
    }

    @Test
    void withoutUserNameTheFirstPrincipalNamesTheClient() throws Exception {
        JaasAuthenticator authenticator = authenticator(Map.of("principalWhenNoUser", "device-1", "roles", "devices"));
        assertEquals(ClientIdentity.of("device-1", Set.of("devices")),
                granted(answer(authenticator.login(login(null, null)))));
    }

    @Test
    void aLoginThatNamesNobodyIsRefused() throws Exception {
        JaasAuthenticator authenticator = authenticator(Map.of("principalWhenNoUser", ""));
        assertEquals(Reason.NOT_AUTHORIZED, refused(answer(authenticator.login(login(null, null)))).reason());
    }

    @Test
    void readsAJaasConfFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("jaas.conf"), """
                mqtt-test {
                    io.mqttra.security.TestLoginModule required roles="operators";
                };
                """);
        Configuration configuration = Configuration.getInstance("JavaLoginConfig", new URIParameter(file.toUri()));
        JaasAuthenticator authenticator = new JaasAuthenticator(NAME, configuration, executor);
        assertEquals(ClientIdentity.of("alice", Set.of("operators")),
                granted(answer(authenticator.login(login("alice", "secret")))));
    }

    @Test
    void anUnknownConfigurationNameFailsAtConstruction() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new JaasAuthenticator("no-such-entry", configuration(Map.of()), executor));
        assertTrue(e.getMessage().contains("JAAS login configuration 'no-such-entry'"), e.getMessage());
    }

    @Test
    void anEntryMissingFromTheJvmsConfigurationFailsAtConstruction() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new JaasAuthenticator("no-such-entry", executor));
        assertTrue(e.getMessage().contains("'no-such-entry'") && e.getMessage().contains("JVM"), e.getMessage());
    }

    private JaasAuthenticator authenticator(Map<String, String> options) {
        return new JaasAuthenticator(NAME, configuration(options), executor);
    }

    static Configuration configuration(Map<String, String> options) {
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return !name.equals(NAME) ? null : new AppConfigurationEntry[] {new AppConfigurationEntry(
                        TestLoginModule.class.getName(), LoginModuleControlFlag.REQUIRED, options)};
            }
        };
    }
}
