package io.mqttra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers of {@code ra-impl} (docs/architecture.md): imports only point downward. A plain scan of
 * the sources, so that a wrong arrow fails the fast phase of the build with the file and the line,
 * before any server starts. References are found in import lines and in fully qualified names in code.
 */
class PackageLayeringTest {

    private static final Path SOURCES = Path.of("src/main/java");

    /**
     * Which of this project's packages each package may use, besides itself and {@code io.mqttra.api}.
     * A package to come (cluster) has its place here already, so that it lands in the right layer.
     * Sub-packages not listed here make the test fail until they are given a place. No package may use
     * admin: the adapter finds it as an AdapterListener through ServiceLoader.
     */
    private static final Map<String, Set<String>> MAY_USE = Map.ofEntries(
            Map.entry("broker", Set.of()),
            Map.entry("store", Set.of("broker")),
            Map.entry("cluster", Set.of("broker", "store")),
            Map.entry("security", Set.of("broker")),
            // the store only with --data-directory, behind the cluster's sessions
            Map.entry("engine", Set.of("broker", "security", "cluster", "store")),
            Map.entry("jms", Set.of("broker")),
            Map.entry("jca.inbound", Set.of("jms", "broker", "security")),
            Map.entry("jca.outbound", Set.of("jms", "broker", "security")),
            Map.entry("jca", Set.of("jca.inbound", "jca.outbound", "jms", "broker", "store", "cluster", "security")),
            // DESIGN.md: admin ──► broker, jca
            Map.entry("admin", Set.of("jca", "jca.inbound", "jca.outbound", "broker")));

    /** Libraries a layer must stay independent of, so that it runs where they are absent. */
    private static final Map<String, List<String>> MAY_NOT_USE = Map.of(
            // the engine runs in a plain JVM, without Jakarta EE, Hazelcast or the store's database
            "broker", List.of("jakarta.", "com.hazelcast.", "org.h2.", "javax.management."),
            "store", List.of("jakarta.", "com.hazelcast."),
            "jms", List.of("jakarta.resource.", "com.hazelcast.", "org.h2."),
            "security", List.of("com.hazelcast.", "org.h2."),
            "engine", List.of("jakarta.", "com.hazelcast.", "org.h2."),
            // management (JMX) is the admin layer's: the adapter starts it through AdapterListener, never by name
            "jca", List.of("javax.management."),
            "jca.inbound", List.of("javax.management."));

    private static final Pattern PACKAGE = Pattern.compile("^package io\\.mqttra\\.([a-z.]+);", Pattern.MULTILINE);
    private static final Pattern PROJECT_REFERENCE = Pattern.compile("\\bio\\.mqttra\\.((?:[a-z][a-z0-9]*\\.)*[a-z][a-z0-9]*)\\.[A-Z*]");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void importsOnlyPointDownward() {
        List<String> violations = new ArrayList<>();
        for (Path file : javaFiles()) {
            String source = read(file);
            String own = packageOf(source, file);
            Set<String> allowed = MAY_USE.get(own);
            if (allowed == null) {
                violations.add(file + ": package io.mqttra." + own + " has no place in the layering rule");
                continue;
            }
            String code = withoutComments(source);
            Matcher m = PROJECT_REFERENCE.matcher(code);
            while (m.find()) {
                String used = m.group(1);
                // io.mqttra.api is open to all, sub-packages included (api.security: the JAAS callbacks)
                boolean api = used.equals("api") || used.startsWith("api.");
                if (!used.equals(own) && !api && !allowed.contains(used)) {
                    violations.add(file + ":" + lineOf(code, m.start()) + ": io.mqttra." + own + " uses io.mqttra." + used
                            + " (allowed: " + new TreeSet<>(allowed) + ")");
                }
            }
            Matcher imports = IMPORT.matcher(code);
            while (imports.find()) {
                for (String forbidden : MAY_NOT_USE.getOrDefault(own, List.of())) {
                    if (imports.group(1).startsWith(forbidden)) {
                        violations.add(file + ":" + lineOf(code, imports.start()) + ": io.mqttra." + own + " imports "
                                + imports.group(1) + " (" + forbidden + "* is not for this layer)");
                    }
                }
            }
        }
        assertEquals(List.of(), violations, "layering violations");
    }

    @Test
    void everyPackageSaysWhatItIsAndWhatItMayUse() {
        Set<Path> packages = new TreeSet<>();
        javaFiles().forEach(f -> packages.add(f.getParent()));
        List<String> missing = new ArrayList<>();
        for (Path dir : packages) {
            Path info = dir.resolve("package-info.java");
            if (!Files.exists(info)) {
                missing.add(dir + " has no package-info.java");
            } else if (!read(info).contains("May use")) {
                missing.add(info + " does not say what the package may use (a line starting 'May use')");
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void theRuleFindsAWrongArrow() {
        // guards the scan itself: a reference written as a fully qualified name counts as much as an import
        String code = withoutComments("package io.mqttra.broker;\n// io.mqttra.jca.Ignored in a comment\n"
                + "class X { io.mqttra.jca.inbound.Lane lane; }\n");
        Matcher m = PROJECT_REFERENCE.matcher(code);
        assertTrue(m.find());
        assertEquals("jca.inbound", m.group(1));
        assertEquals(3, lineOf(code, m.start()));
    }

    private static List<Path> javaFiles() {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            List<Path> found = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
            assertTrue(found.size() > 50, "expected the sources of ra-impl under " + SOURCES.toAbsolutePath());
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String packageOf(String source, Path file) {
        Matcher m = PACKAGE.matcher(source);
        assertTrue(m.find(), file + " declares no io.mqttra package");
        return m.group(1);
    }

    /** Blanks comments and string literals but keeps line breaks, so that line numbers stay right. */
    private static String withoutComments(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '/' && i + 1 < source.length() && source.charAt(i + 1) == '/') {
                while (i < source.length() && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < source.length() && source.charAt(i + 1) == '*') {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? source.length() : end + 2;
                source.substring(i, end).chars().filter(ch -> ch == '\n').forEach(ch -> out.append('\n'));
                i = end;
            } else if (c == '"' || c == '\'') {
                // a literal: its text is no reference (a char literal may hold a quote)
                out.append(c);
                i++;
                while (i < source.length() && source.charAt(i) != c && source.charAt(i) != '\n') {
                    i += source.charAt(i) == '\\' ? 2 : 1;
                }
                if (i < source.length() && source.charAt(i) == c) {
                    out.append(c);
                    i++;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
