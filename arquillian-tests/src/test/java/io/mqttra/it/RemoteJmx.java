package io.mqttra.it;

import io.mqttra.it.liberty.LibertyServer;
import java.io.File;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The server's remote JMX as an operator reaches it from JConsole or a script, logged in as the
 * administrator {@link TestUsers#ADMIN}:
 * <ul>
 * <li>WildFly: {@code remote+http} on the management port (the client is jboss-client, on the test class path);</li>
 * <li>Open Liberty: the REST connector ({@code restConnector-2.0}, HTTPS on 9443), through the client jar
 * Liberty ships in {@code clients/restConnector.jar}, trusting the certificate Liberty generated for the test
 * server (its {@code key.p12}).</li>
 * </ul>
 */
final class RemoteJmx {

    private static final String WILDFLY = "service:jmx:remote+http://127.0.0.1:9990";
    private static final String LIBERTY = "service:jmx:rest://localhost:9443/IBMJMXConnectorREST";
    /** The test server's keystore password (src/test/liberty/server.xml, {@code defaultKeyStore}). */
    private static final char[] LIBERTY_KEYSTORE_PASSWORD = "mqtt-ra-tests".toCharArray();

    private RemoteJmx() {
    }

    static JMXConnector connect() throws Exception {
        Map<String, Object> credentials = Map.of(JMXConnector.CREDENTIALS, new String[] {TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD});
        if (!Deployments.onLiberty()) {
            return JMXConnectorFactory.connect(new JMXServiceURL(WILDFLY), credentials);
        }
        File home = new File(System.getProperty("liberty.home"));
        ClassLoader client = new URLClassLoader(new URL[] {new File(home, "clients/restConnector.jar").toURI().toURL()},
                RemoteJmx.class.getClassLoader());
        Map<String, Object> env = new HashMap<>(credentials);
        env.put(JMXConnectorFactory.PROTOCOL_PROVIDER_PACKAGES, "com.ibm.ws.jmx.connector.client");
        env.put(JMXConnectorFactory.PROTOCOL_PROVIDER_CLASS_LOADER, client);
        env.put("com.ibm.ws.jmx.connector.client.CUSTOM_SSLSOCKETFACTORY", libertyTls().getSocketFactory());
        return JMXConnectorFactory.connect(new JMXServiceURL(LIBERTY), env);
    }

    /** TLS to Liberty's HTTPS port, trusting the certificate it generated for the test server. */
    static SSLContext libertyTls() throws Exception {
        return trusting(LibertyServer.dir().resolve("resources/security/key.p12"));
    }

    /** TLS that trusts exactly the certificates of a PKCS#12 keystore. */
    private static SSLContext trusting(Path keyStore) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            trusted.load(in, LIBERTY_KEYSTORE_PASSWORD);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls;
    }
}
