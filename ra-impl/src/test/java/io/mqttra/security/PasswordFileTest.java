package io.mqttra.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFileTest {

    /** sha512("secret" + "0123456789ab") in Base64, the salt "0123456789ab" in Base64: made with openssl and base64. */
    static final String HAND_MADE_SHA512_LINE = "alice:$6$MDEyMzQ1Njc4OWFi$qEXipeLbgxRlwd06QHfY5WITkUZg0jLg9SZbXzq3ifXjfj"
            + "+v3GbJGrSfC5PAg3UNCS+UFfbhUIZX4bmIAs330w==";

    @TempDir
    Path dir;

    @Test
    void readsThePbkdf2HashesOfMosquitto2() throws Exception {
        Path path = MosquittoPasswd.add(dir.resolve("passwd"), "alice", "secret", null);
        assertTrue(Files.readString(path).startsWith("alice:$7$"), "mosquitto_passwd 2 writes $7$ by default");
        PasswordFile file = PasswordFile.read(path);
        assertTrue(file.check("alice", bytes("secret")));
        assertFalse(file.check("alice", bytes("Secret")));
        assertFalse(file.check("bob", bytes("secret")));
    }

    @Test
    void readsTheSha512HashesOfMosquitto1() throws Exception {
        Path path = MosquittoPasswd.add(dir.resolve("passwd"), "bob", "hunter2", "sha512");
        assertTrue(Files.readString(path).startsWith("bob:$6$"));
        PasswordFile file = PasswordFile.read(path);
        assertTrue(file.check("bob", bytes("hunter2")));
        assertFalse(file.check("bob", bytes("hunter3")));
    }

    @Test
    void readsAHandMadeSha512Line() throws Exception {
        PasswordFile file = PasswordFile.read(write(HAND_MADE_SHA512_LINE));
        assertTrue(file.check("alice", bytes("secret")));
        assertFalse(file.check("alice", bytes("secret0")));
    }

    @Test
    void mixesBothSchemesAndNonAsciiNamesAndPasswords() throws Exception {
        Path path = dir.resolve("passwd");
        MosquittoPasswd.add(path, "bob", "hunter2", "sha512");
        MosquittoPasswd.add(path, "émile", "pässwörd", null);
        PasswordFile file = PasswordFile.read(path);
        assertEquals(Set.of("bob", "émile"), file.users());
        assertTrue(file.check("émile", bytes("pässwörd")));
        assertTrue(file.check("bob", bytes("hunter2")));
    }

    @Test
    void anEmptyPasswordIsAPassword() throws Exception {
        PasswordFile file = PasswordFile.read(MosquittoPasswd.add(dir.resolve("passwd"), "empty", "", null));
        assertTrue(file.check("empty", new byte[0]));
        assertFalse(file.check("empty", bytes(" ")));
    }

    @Test
    void skipsCommentsBlankLinesAndCarriageReturns() throws Exception {
        PasswordFile file = PasswordFile.read(write("# users of the test\r\n\r\n" + HAND_MADE_SHA512_LINE + "\r\n"));
        assertEquals(Set.of("alice"), file.users());
        assertTrue(file.check("alice", bytes("secret")));
    }

    @Test
    void aLineWithoutColonNamesTheFileAndTheLine() throws Exception {
        Path path = write("# comment\n" + HAND_MADE_SHA512_LINE + "\nbob\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PasswordFile.read(path));
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void aMalformedHashIsNotRepeatedInTheMessage() throws Exception {
        String truncated = "$7$101$MDEyMzQ1Njc4OWFi$qEXipeLbgxRlwd06QHfY5WITkUZg0jLg9SZbXzq3ifXjfj";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PasswordFile.read(write("carol:" + truncated + "\n")));
        assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("carol"), e.getMessage());
        assertFalse(e.getMessage().contains("MDEyMzQ1Njc4OWFi"), e.getMessage());
        assertFalse(e.getMessage().contains("qEXipeLbgx"), e.getMessage());
    }

    @Test
    void aPlainTextPasswordIsRefusedWithoutShowingIt() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PasswordFile.read(write("dave:opensesame\n")));
        assertTrue(e.getMessage().contains("mosquitto_passwd -U"), e.getMessage());
        assertFalse(e.getMessage().contains("opensesame"), e.getMessage());
    }

    @Test
    void anIterationCountBelowOneIsMalformed() throws Exception {
        String hash = HAND_MADE_SHA512_LINE.substring(HAND_MADE_SHA512_LINE.indexOf("$6$") + 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PasswordFile.read(write("erin:$7$0" + hash + "\n")));
        assertTrue(e.getMessage().contains("iteration"), e.getMessage());
    }

    @Test
    void aUserTwiceIsMalformed() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PasswordFile.read(write(HAND_MADE_SHA512_LINE + "\n" + HAND_MADE_SHA512_LINE + "\n")));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void anEmptyFileKnowsNobody() throws Exception {
        PasswordFile file = PasswordFile.read(write(""));
        assertEquals(Set.of(), file.users());
        assertFalse(file.check("alice", bytes("secret")));
    }

    private Path write(String content) throws Exception {
        return Files.writeString(dir.resolve("passwd"), content, StandardCharsets.UTF_8);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
