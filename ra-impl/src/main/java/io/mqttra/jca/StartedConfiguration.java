package io.mqttra.jca;

import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.logging.Logger;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The adapter's properties as one start used them. Administrators change them in the server's
 * management model (WildFly: the resource-adapters subsystem) and see them applied only when the
 * adapter starts again ({@code :reload}), so each start says in the log which properties differ from
 * their defaults and, from the copy the previous start kept in the data directory, which ones changed.
 *
 * <p>Passwords (properties whose name ends in {@code Password}) appear in neither the log nor the file:
 * the log says only whether one is set or changed, and the file keeps a salted PBKDF2 hash, enough to
 * tell a changed password from the same one.
 */
final class StartedConfiguration {

    static final String FILE_NAME = "started-configuration.properties";
    private static final Logger LOG = Logger.getLogger(MqttResourceAdapter.class.getName());
    private static final String HASHED = "pbkdf2-sha256:";
    private static final int HASH_ITERATIONS = 60_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Property name to value as text ({@code ""} for none); passwords in clear only in memory. */
    private final SortedMap<String, String> values;

    private StartedConfiguration(SortedMap<String, String> values) {
        this.values = values;
    }

    /** The properties of the adapter as they are now. */
    static StartedConfiguration of(ResourceAdapterProperties adapter) {
        SortedMap<String, String> values = new TreeMap<>();
        try {
            for (PropertyDescriptor p : Introspector.getBeanInfo(ResourceAdapterProperties.class, Object.class)
                    .getPropertyDescriptors()) {
                if (p.getReadMethod() != null && p.getWriteMethod() != null) {
                    Object value = p.getReadMethod().invoke(adapter);
                    values.put(p.getName(), value == null ? "" : value.toString());
                }
            }
        } catch (IntrospectionException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read the resource adapter's properties", e);
        }
        return new StartedConfiguration(values);
    }

    /**
     * Logs what a start is using and, when the data directory is given, what changed since the start
     * before, and keeps this configuration there for the next one. A file that cannot be read or written
     * costs the comparison, never the start.
     */
    static void logAndKeep(ResourceAdapterProperties adapter, Path dataDirectory) {
        StartedConfiguration now = of(adapter);
        LOG.info(now.describeNonDefaults(of(new MqttResourceAdapter())));
        if (dataDirectory == null) {
            return;
        }
        Path file = dataDirectory.resolve(FILE_NAME);
        try {
            Optional<StartedConfiguration> before = read(file);
            if (before.isPresent()) {
                List<String> changes = now.changesSince(before.get());
                LOG.info(changes.isEmpty() ? "MQTT-RA configuration unchanged since the last start"
                        : "MQTT-RA configuration changed since the last start: " + String.join("; ", changes));
            }
            now.write(file);
        } catch (IOException | RuntimeException e) {
            LOG.warning("MQTT-RA cannot compare its configuration with the last start's in " + file + ": " + e);
        }
    }

    /** One line: each property whose value is not its default, passwords as {@code (set)}. */
    String describeNonDefaults(StartedConfiguration defaults) {
        List<String> differing = new ArrayList<>();
        values.forEach((name, value) -> {
            if (!Objects.equals(value, defaults.values.get(name))) {
                differing.add(name + "=" + (isPassword(name) ? "(set)" : value));
            }
        });
        return differing.isEmpty() ? "MQTT-RA configuration: every property at its default"
                : "MQTT-RA configuration, where it differs from the defaults: " + String.join(", ", differing);
    }

    /**
     * {@code name: before -> now} for each property whose value changed, passwords as
     * {@code name: changed}. A property the earlier start did not record (an upgrade added it) is left out.
     */
    List<String> changesSince(StartedConfiguration before) {
        List<String> changes = new ArrayList<>();
        values.forEach((name, value) -> {
            String earlier = before.values.get(name);
            if (earlier == null) {
                return;
            }
            if (isPassword(name)) {
                if (!sameSecret(earlier, value)) {
                    changes.add(name + ": " + (value.isEmpty() ? "removed" : earlier.isEmpty() ? "set" : "changed"));
                }
            } else if (!earlier.equals(value)) {
                changes.add(name + ": " + shown(earlier) + " -> " + shown(value));
            }
        });
        return changes;
    }

    private static String shown(String value) {
        return value.isEmpty() ? "(none)" : value;
    }

    static Optional<StartedConfiguration> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties stored = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            stored.load(in);
        }
        SortedMap<String, String> values = new TreeMap<>();
        stored.stringPropertyNames().forEach(name -> values.put(name, stored.getProperty(name)));
        return Optional.of(new StartedConfiguration(values));
    }

    /** Replaces the file at once (a crash leaves the old one or the new one), readable by its owner only where the file system says so. */
    void write(Path file) throws IOException {
        Properties stored = new Properties();
        values.forEach((name, value) -> stored.setProperty(name, isPassword(name) && !value.isEmpty() ? hash(value) : value));
        Files.createDirectories(file.getParent());
        Path next = file.resolveSibling(FILE_NAME + ".new");
        Files.deleteIfExists(next);
        if (Files.getFileStore(file.getParent()).supportsFileAttributeView("posix")) {
            Files.createFile(next, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (OutputStream out = Files.newOutputStream(next)) {
            stored.store(out, "MQTT-RA: the resource adapter's properties at its last start (passwords hashed)");
        }
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static boolean isPassword(String property) {
        return property.endsWith("Password");
    }

    /** Whether {@code stored} (as read from the file: hashed, or empty) is {@code current} (in clear). */
    private static boolean sameSecret(String stored, String current) {
        if (stored.isEmpty() || current.isEmpty()) {
            return stored.isEmpty() && current.isEmpty();
        }
        if (!stored.startsWith(HASHED)) {
            return false;
        }
        String[] parts = stored.substring(HASHED.length()).split(":", 2);
        if (parts.length != 2) {
            return false;
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[0]);
            return MessageDigest.isEqual(Base64.getDecoder().decode(parts[1]), pbkdf2(current, salt));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String hash(String secret) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return HASHED + Base64.getEncoder().encodeToString(salt) + ":" + Base64.getEncoder().encodeToString(pbkdf2(secret, salt));
    }

    private static byte[] pbkdf2(String secret, byte[] salt) {
        try {
            PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, HASH_ITERATIONS, 256);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        }
    }
}
