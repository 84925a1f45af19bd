package io.mqttra.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Prepares the WildFly that Maven unpacked ({@code -Pbench,bench-wildfly}): the adapter with the
 * engine's benchmark settings (same listeners, queues as large, anonymous clients as in the engine),
 * and a small application with the benchmark's message-driven beans. {@code wildfly-auth} keeps the
 * adapter's default {@code authentication=container}: logins are checked by the server's
 * ApplicationDomain, through JCA security inflow, against a user that add-user.sh adds.
 */
final class WildFlyBroker {

    static final String WAR = "bench-mdb.war";

    private WildFlyBroker() {
    }

    static Path home() throws IOException {
        String home = System.getProperty("bench.wildflyHome", "").trim();
        if (home.isEmpty() || !Files.isDirectory(Path.of(home, "bin"))) {
            throw new IOException("the wildfly broker needs the WildFly that -Pbench,bench-wildfly unpacks (bench.wildflyHome='"
                    + home + "')");
        }
        return Path.of(home);
    }

    /** Returns the command that starts it; {@code checkLogins} leaves the adapter's default container authentication. */
    static List<String> prepare(int port, String listeners, Path workDir, boolean checkLogins, boolean syncWrites,
                                boolean management) throws IOException, InterruptedException {
        Path home = home();
        Path marker = home.resolve(".mqtt-ra-configured");
        if (!Files.exists(marker)) {
            Path cli = Path.of(System.getProperty("bench.wildflyCli"));
            int rc = new ProcessBuilder("sh", home.resolve("bin/jboss-cli.sh").toString(), "--file=" + cli)
                    .redirectErrorStream(true).redirectOutput(workDir.resolve("wildfly-cli.log").toFile()).start().waitFor();
            if (rc != 0) {
                throw new IOException("configuring WildFly failed; see " + workDir.resolve("wildfly-cli.log"));
            }
            Files.createFile(marker);
        }
        if (checkLogins) {
            addUser(home, workDir);
        }
        Path deployments = home.resolve("standalone/deployments");
        try (var old = Files.list(deployments)) {
            for (Path p : old.toList()) {
                if (p.getFileName().toString().startsWith("mqtt-ra.rar") || p.getFileName().toString().startsWith(WAR)) {
                    Files.delete(p);
                }
            }
        }
        writeRar(Path.of(System.getProperty("bench.rar")), deployments.resolve("mqtt-ra.rar"),
                adapterProperties(listeners, checkLogins, syncWrites, management));
        writeWar(deployments.resolve(WAR));
        return List.of("sh", home.resolve("bin/standalone.sh").toString(), "-Djboss.bind.address=127.0.0.1",
                "-Dbench.mqtt.port=" + port);
    }

    /**
     * The bench's user in the ApplicationRealm's files, which the server reads at the next login. The
     * script updates a user it already has, so a second run changes nothing.
     */
    private static void addUser(Path home, Path workDir) throws IOException, InterruptedException {
        Path log = workDir.resolve("wildfly-add-user.log");
        int rc = new ProcessBuilder("sh", home.resolve("bin/add-user.sh").toString(), "-a",
                "-u", BrokerUnderTest.USER, "-p", BrokerUnderTest.PASSWORD)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start().waitFor();
        if (rc != 0) {
            throw new IOException("add-user.sh could not add the user " + BrokerUnderTest.USER + "; see " + log);
        }
    }

    /**
     * The adapter's benchmark settings, the same in every server: the engine's listeners, queues as large, and
     * anonymous clients as in the engine unless {@code checkLogins}.
     */
    static Map<String, String> adapterProperties(String listeners, boolean checkLogins, boolean syncWrites, boolean management) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("listeners", listeners);
        p.put("maxQueuedPerClient", "2000000");
        p.put("maxClientBufferBytes", String.valueOf(256L * 1024 * 1024));
        p.put("maxConnections", "1000000");
        p.put("maxClientSessions", "1000000");
        // the load generator opens every connection from 127.0.0.1, as fast as it can
        p.put("maxConnectionsPerSecondPerAddress", "0");
        p.put("sysIntervalSeconds", "1");
        // anonymous clients, as the engine and Mosquitto let in: the rows before logins were checked stay comparable
        if (!checkLogins) {
            p.put("authentication", "anonymous");
        }
        p.put("syncWrites", String.valueOf(syncWrites));
        p.put("managementEnabled", String.valueOf(management));
        return p;
    }

    /** The packaged adapter with the benchmark's settings added to its ironjacamar.xml. */
    private static void writeRar(Path packaged, Path target, Map<String, String> properties) throws IOException {
        try (ZipFile in = new ZipFile(packaged.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            Enumeration<? extends ZipEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                out.putNextEntry(new ZipEntry(e.getName()));
                try (InputStream data = in.getInputStream(e)) {
                    if (e.getName().equals("META-INF/ironjacamar.xml")) {
                        String xml = new String(data.readAllBytes(), StandardCharsets.UTF_8);
                        int afterRoot = xml.indexOf('>', xml.indexOf("<ironjacamar")) + 1;
                        StringBuilder added = new StringBuilder("\n");
                        properties.forEach((name, value) -> added.append("  <config-property name=\"").append(name).append("\">")
                                .append(value).append("</config-property>\n"));
                        xml = xml.substring(0, afterRoot) + added + xml.substring(afterRoot);
                        out.write(xml.getBytes(StandardCharsets.UTF_8));
                    } else {
                        data.transferTo(out);
                    }
                }
                out.closeEntry();
            }
        }
    }

    /** The benchmark's message-driven beans, by class name (on Liberty each needs an activation spec of its own). */
    static final List<String> MDBS = List.of("PlainMdb", "TransactedMdb", "DurableMdb");

    /**
     * The benchmark beans, from this program's own classes. The manifest's entry shows WildFly's deployments the
     * jakarta.jms API (standalone.xml has no messaging); Liberty ignores it.
     */
    static void writeWar(Path target) throws IOException {
        // by name: loading them here would need the Jakarta EE API, which only the server has
        List<String> classes = new ArrayList<>(List.of("BenchCounters", "CountServlet"));
        classes.addAll(MDBS);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            out.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            out.write("Manifest-Version: 1.0\nDependencies: jakarta.jms.api\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            for (String c : classes) {
                String resource = "io/mqttra/bench/mdb/" + c + ".class";
                try (InputStream data = WildFlyBroker.class.getClassLoader().getResourceAsStream(resource)) {
                    out.putNextEntry(new ZipEntry("WEB-INF/classes/" + resource));
                    data.transferTo(out);
                    out.closeEntry();
                }
            }
        }
    }
}
