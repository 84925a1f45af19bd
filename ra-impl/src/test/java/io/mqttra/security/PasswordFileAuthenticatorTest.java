package io.mqttra.security;

import static io.mqttra.security.LoginRequests.answer;
import static io.mqttra.security.LoginRequests.granted;
import static io.mqttra.security.LoginRequests.login;
import static io.mqttra.security.LoginRequests.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.broker.ClientIdentity;
import io.mqttra.broker.LoginRequest;
import io.mqttra.broker.LoginResult.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFileAuthenticatorTest {

    @TempDir
    Path dir;

    final BlockingLoginExecutor executor = new BlockingLoginExecutor(2);

    @AfterEach
    void close() {
        executor.close();
    }

    @Test
    void aKnownUserWithItsPasswordGetsInWithoutRoles() throws Exception {
        PasswordFileAuthenticator authenticator = authenticatorFor("alice", "secret");
        assertEquals(ClientIdentity.of("alice", Set.of()), granted(answer(authenticator.login(login("alice", "secret")))));
    }

    @Test
    void aWrongPasswordIsBadCredentialsAndTheWhyHasNoPassword() throws Exception {
        var refusal = refused(answer(authenticatorFor("alice", "secret").login(login("alice", "guessed-wrong"))));
        assertEquals(Reason.BAD_CREDENTIALS, refusal.reason());
        assertTrue(refusal.why().contains("wrong password") && refusal.why().contains("alice"), refusal.why());
        assertFalse(refusal.why().contains("guessed-wrong") || refusal.why().contains("secret"), refusal.why());
    }

    @Test
    void anUnknownUserIsBadCredentials() throws Exception {
        var refusal = refused(answer(authenticatorFor("alice", "secret").login(login("mallory", "secret"))));
        assertEquals(Reason.BAD_CREDENTIALS, refusal.reason());
        assertTrue(refusal.why().contains("unknown user"), refusal.why());
    }

    @Test
    void noUserNameIsNotAuthorizedAndNoPasswordIsBadCredentials() throws Exception {
        PasswordFileAuthenticator authenticator = authenticatorFor("alice", "secret");
        assertEquals(Reason.NOT_AUTHORIZED, refused(answer(authenticator.login(login(null, "secret")))).reason());
        assertEquals(Reason.BAD_CREDENTIALS, refused(answer(authenticator.login(login("alice", null)))).reason());
        assertEquals(Reason.NOT_AUTHORIZED, refused(answer(authenticator.login(login(null, null)))).reason());
    }

    @Test
    void anUnknownUserTakesAsLongAsAWrongPassword() throws Exception {
        // a costly hash, so that its time stands out from the noise: 100,000 rounds of PBKDF2
        String salt = Base64.getEncoder().encodeToString(new byte[12]);
        String hash = Base64.getEncoder().encodeToString(new byte[64]);
        PasswordFileAuthenticator authenticator = new PasswordFileAuthenticator(
                Files.writeString(dir.resolve("slow"), "alice:$7$100000$" + salt + "$" + hash + "\n"), executor);
        long wrongPassword = fastestOf(authenticator, login("alice", "wrong"));
        long unknownUser = fastestOf(authenticator, login("mallory", "wrong"));
        assertTrue(unknownUser > wrongPassword / 2 && unknownUser < wrongPassword * 2,
                "unknown user " + unknownUser / 1000 + " us, wrong password " + wrongPassword / 1000 + " us");
    }

    @Test
    void reloadReadsTheFileAgain() throws Exception {
        Path path = MosquittoPasswd.add(dir.resolve("passwd"), "alice", "secret", null);
        PasswordFileAuthenticator authenticator = new PasswordFileAuthenticator(path, executor);
        MosquittoPasswd.add(path, "bob", "hunter2", null);
        assertEquals(Reason.BAD_CREDENTIALS, refused(answer(authenticator.login(login("bob", "hunter2")))).reason());
        authenticator.reload();
        assertEquals("bob", granted(answer(authenticator.login(login("bob", "hunter2")))).name());
    }

    @Test
    void aFailedReloadKeepsTheFileReadBefore() throws Exception {
        Path path = MosquittoPasswd.add(dir.resolve("passwd"), "alice", "secret", null);
        PasswordFileAuthenticator authenticator = new PasswordFileAuthenticator(path, executor);
        Files.writeString(path, "broken line\n");
        assertThrows(IllegalArgumentException.class, authenticator::reload);
        assertEquals("alice", granted(answer(authenticator.login(login("alice", "secret")))).name());
    }

    @Test
    void aMalformedFileFailsAtConstruction() throws Exception {
        Path path = Files.writeString(dir.resolve("passwd"), "alice\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PasswordFileAuthenticator(path, executor));
        assertTrue(e.getMessage().contains(path + ", line 1"), e.getMessage());
    }

    private PasswordFileAuthenticator authenticatorFor(String user, String password) throws Exception {
        return new PasswordFileAuthenticator(MosquittoPasswd.add(dir.resolve("passwd"), user, password, null), executor);
    }

    private static long fastestOf(PasswordFileAuthenticator authenticator, LoginRequest request) throws Exception {
        long fastest = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            answer(authenticator.login(request));
            fastest = Math.min(fastest, System.nanoTime() - start);
        }
        return fastest;
    }
}
