package io.mqttra.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Mosquitto password file as {@code mosquitto_passwd} writes it: one {@code user:hash} a line, the
 * hash {@code $6$...} (mosquitto 1.x) or {@code $7$...} (2.x, see {@link PasswordHash}). Blank lines
 * and lines starting with {@code #} are skipped. Read once, in UTF-8; immutable.
 */
public final class PasswordFile {

    private final Path path;
    private final Map<String, PasswordHash> hashes;
    /** Checked for an unknown user, so that it costs what a known user's check costs. */
    private final PasswordHash unknownUser;

    private PasswordFile(Path path, Map<String, PasswordHash> hashes, PasswordHash unknownUser) {
        this.path = path;
        this.hashes = Map.copyOf(hashes);
        this.unknownUser = unknownUser;
    }

    /**
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException for a line that is not {@code user:hash}, naming the file and
     *     the line number (never the hash)
     */
    public static PasswordFile read(Path path) throws IOException {
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        Map<String, PasswordHash> hashes = new HashMap<>();
        Map<String, Integer> lineOfUser = new HashMap<>();
        PasswordHash first = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int lineNumber = i + 1;
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw malformed(path, lineNumber, "expected user:hash");
            }
            String user = line.substring(0, colon);
            Integer earlier = lineOfUser.putIfAbsent(user, lineNumber);
            if (earlier != null) {
                throw malformed(path, lineNumber, "user '" + user + "' is already on line " + earlier);
            }
            PasswordHash hash;
            try {
                hash = PasswordHash.parse(line.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw malformed(path, lineNumber, "user '" + user + "': " + e.getMessage());
            }
            hashes.put(user, hash);
            first = first == null ? hash : first;
        }
        // an unknown user costs what the file's first user costs: a file's users are hashed alike
        return new PasswordFile(path, hashes, first == null ? PasswordHash.dummy() : first.withRandomSalt());
    }

    private static IllegalArgumentException malformed(Path path, int line, String what) {
        return new IllegalArgumentException("password file " + path + ", line " + line + ": " + what);
    }

    public Path path() {
        return path;
    }

    public Set<String> users() {
        return hashes.keySet();
    }

    public boolean contains(String user) {
        return hashes.containsKey(user);
    }

    /**
     * Whether the user is in the file and the password is theirs. An unknown user's password is hashed
     * too, so that the answer takes the same time and does not tell which users exist.
     */
    public boolean check(String user, byte[] password) {
        PasswordHash hash = hashes.get(user);
        boolean matches = (hash == null ? unknownUser : hash).matches(password);
        return hash != null && matches;
    }

    @Override
    public String toString() {
        return "password file " + path + " (" + hashes.size() + " users)";
    }
}
