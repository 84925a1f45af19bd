package io.mqttra.broker;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away PKI made with the JDK's keytool when a test starts: a CA, a server certificate for
 * 127.0.0.1/localhost and a client certificate, both signed by the CA. No private key is committed.
 */
public final class TestCertificates {

    public static final String PASSWORD = "changeit";

    public final Path dir;
    public final Path caPem;
    public final Path serverKeyStore;
    public final Path clientKeyStore;
    public final Path trustStore;

    private TestCertificates(Path dir) {
        this.dir = dir;
        this.caPem = dir.resolve("ca.pem");
        this.serverKeyStore = dir.resolve("server.p12");
        this.clientKeyStore = dir.resolve("client.p12");
        this.trustStore = dir.resolve("trust.p12");
    }

    public static TestCertificates create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        TestCertificates c = new TestCertificates(dir);
        Path ca = dir.resolve("ca.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=MQTT-RA Test CA",
                "-ext", "bc:c", "-validity", "2", "-keystore", ca.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-exportcert", "-alias", "ca", "-keystore", ca.toString(), "-storepass", PASSWORD, "-rfc",
                "-file", c.caPem.toString());
        keytool("-importcert", "-alias", "ca", "-file", c.caPem.toString(), "-keystore", c.trustStore.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-noprompt");
        c.signed(ca, c.serverKeyStore, "server", "CN=localhost", "serverAuth", "san=ip:127.0.0.1,dns:localhost");
        c.signed(ca, c.clientKeyStore, "client", "CN=device-1", "clientAuth", null);
        return c;
    }

    private void signed(Path ca, Path keyStore, String alias, String dname, String usage, String san)
            throws IOException, InterruptedException {
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname,
                "-validity", "2", "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        Path csr = dir.resolve(alias + ".csr");
        Path pem = dir.resolve(alias + ".pem");
        keytool("-certreq", "-alias", alias, "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-file", csr.toString());
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", ca.toString(),
                "-storepass", PASSWORD, "-infile", csr.toString(), "-outfile", pem.toString(), "-rfc", "-validity", "2",
                "-ext", "eku=" + usage));
        if (san != null) {
            gencert.addAll(List.of("-ext", san));
        }
        keytool(gencert.toArray(String[]::new));
        keytool("-importcert", "-alias", "ca", "-file", caPem.toString(), "-keystore", keyStore.toString(),
                "-storepass", PASSWORD, "-noprompt");
        keytool("-importcert", "-alias", alias, "-file", pem.toString(), "-keystore", keyStore.toString(),
                "-storepass", PASSWORD, "-noprompt");
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }

    public TlsConfig serverTls(TlsConfig.ClientAuth clientAuth) {
        return new TlsConfig(serverKeyStore.toString(), PASSWORD, "PKCS12", trustStore.toString(), PASSWORD, "PKCS12",
                clientAuth, TlsConfig.DEFAULT_PROTOCOLS);
    }

    public TrustManagerFactory trustManagers() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(trustStore));
        return tmf;
    }

    public KeyManagerFactory clientKeyManagers() throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(clientKeyStore), PASSWORD.toCharArray());
        return kmf;
    }

    /** An SSL context for clients: trusts the test CA, presents the client certificate when asked to. */
    public SSLContext clientContext(boolean withClientCertificate) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(withClientCertificate ? clientKeyManagers().getKeyManagers() : null, trustManagers().getTrustManagers(), null);
        return ctx;
    }

    private static KeyStore load(Path path) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    public static Path tempDir(String name) throws IOException {
        return Files.createTempDirectory(new File("target").toPath().toAbsolutePath(), name);
    }
}
