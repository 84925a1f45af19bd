package io.mqttra.security;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One password as {@code mosquitto_passwd} hashes it, with the two schemes of its password files:
 * <ul>
 * <li>{@code $6$<salt>$<hash>} (mosquitto 1.x, {@code -H sha512}): SHA-512 of the password's bytes
 * followed by the salt's;
 * <li>{@code $7$<iterations>$<salt>$<hash>} (mosquitto 2.x, {@code -H sha512-pbkdf2}, the default):
 * PBKDF2 with HMAC-SHA512 over the password's bytes and the salt, a 64-byte key.
 * </ul>
 * Salt and hash are standard Base64; the salt is 12 random bytes as mosquitto writes it, the hash 64 bytes.
 * The password is hashed as the client sent it, byte for byte (the tool takes its UTF-8 bytes).
 */
final class PasswordHash {

    private static final int HASH_LENGTH = 64;
    private static final int SALT_LENGTH = 12;
    private static final int DEFAULT_ITERATIONS = 101;
    /** HMAC-SHA512's block: a key shorter than this is padded with zeros, so the empty key is this many zeros. */
    private static final int HMAC_BLOCK = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** 0 for the {@code $6$} scheme, which hashes once. */
    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /**
     * Reads a hash as it stands after the user name's colon.
     *
     * @throws IllegalArgumentException saying what is wrong, without repeating the text
     */
    static PasswordHash parse(String encoded) {
        if (!encoded.startsWith("$")) {
            throw new IllegalArgumentException("the password is not hashed (run mosquitto_passwd -U on the file)");
        }
        String[] parts = encoded.split("\\$", -1);
        if (parts.length == 4 && parts[1].equals("6")) {
            return new PasswordHash(0, decode(parts[2], "salt"), hashOf(parts[3]));
        }
        if (parts.length == 5 && parts[1].equals("7")) {
            return new PasswordHash(iterations(parts[2]), decode(parts[3], "salt"), hashOf(parts[4]));
        }
        throw new IllegalArgumentException("not a hash that mosquitto_passwd writes: $6$<salt>$<hash> or "
                + "$7$<iterations>$<salt>$<hash> (argon2id and others are not supported)");
    }

    /** A hash of nothing in particular, as costly as this one: what an unknown user's password is checked against. */
    PasswordHash withRandomSalt() {
        byte[] randomSalt = new byte[salt.length];
        RANDOM.nextBytes(randomSalt);
        return new PasswordHash(iterations, randomSalt, new byte[HASH_LENGTH]);
    }

    /** What an empty password file checks unknown users against: mosquitto 2's default cost. */
    static PasswordHash dummy() {
        return new PasswordHash(DEFAULT_ITERATIONS, new byte[SALT_LENGTH], new byte[HASH_LENGTH]).withRandomSalt();
    }

    boolean matches(byte[] password) {
        byte[] computed = iterations == 0 ? sha512(password) : pbkdf2(password);
        // MessageDigest.isEqual takes the same time wherever the first difference is
        return MessageDigest.isEqual(computed, hash);
    }

    private byte[] sha512(byte[] password) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-512");
            digest.update(password);
            return digest.digest(salt);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-512 is missing from this JVM", e);
        }
    }

    /**
     * PBKDF2 (RFC 8018, 5.2) for one block, as the key is as long as HMAC-SHA512's output. Written out
     * because the JDK's PBKDF2 takes characters and encodes them as UTF-8, while an MQTT password is bytes.
     */
    private byte[] pbkdf2(byte[] password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(password.length == 0 ? new byte[HMAC_BLOCK] : password, "HmacSHA512"));
            mac.update(salt);
            byte[] u = mac.doFinal(new byte[] {0, 0, 0, 1});
            byte[] result = u.clone();
            for (int i = 1; i < iterations; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < result.length; j++) {
                    result[j] ^= u[j];
                }
            }
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA512 is missing from this JVM", e);
        }
    }

    private static int iterations(String text) {
        try {
            int iterations = Integer.parseInt(text);
            if (iterations >= 1) {
                return iterations;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("the iteration count of a $7$ hash must be a whole number of at least 1");
    }

    private static byte[] hashOf(String base64) {
        byte[] hash = decode(base64, "hash");
        if (hash.length != HASH_LENGTH) {
            throw new IllegalArgumentException("the hash is " + hash.length + " bytes long, not " + HASH_LENGTH);
        }
        return hash;
    }

    private static byte[] decode(String base64, String what) {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            if (bytes.length > 0) {
                return bytes;
            }
        } catch (IllegalArgumentException e) {
            // said below, without the text
        }
        throw new IllegalArgumentException("the " + what + " is not Base64");
    }
}
