package io.mqttra.it;

import static io.mqttra.it.ServerManagement.address;
import static io.mqttra.it.ServerManagement.operation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.broker.TestCertificates;
import io.mqttra.it.overrides.OverriddenFilterMdb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.dmr.ModelNode;
import org.jboss.shrinkwrap.api.Archive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The adapter configured on WildFly as the README and the run profile do it: put in the resource-adapters
 * subsystem by {@code mqtt-ra-subsystem.cli}, its properties changed with management operations and
 * applied on {@code :reload}, a key store password kept encrypted by Elytron; and a bean's activation
 * property replaced by a deployment overlay, without rebuilding its application. Each test leaves the
 * server as the other tests expect it: no subsystem entry, no overlay, nothing waiting for a reload.
 * <p>WildFly only: it configures the adapter in WildFly's resource-adapters subsystem.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SubsystemConfigurationIT {

    private static final Path SCRIPTS = Path.of("../rar-packaging/src/main/wildfly");
    private static final Path JBOSS_HOME = Path.of(System.getProperty("jboss.home", "target/wildfly"));
    private static final ModelNode ADAPTER = address("subsystem", "resource-adapters", "resource-adapter", Deployments.RAR_NAME);
    private static final ModelNode CREDENTIAL_STORE = address("subsystem", "elytron", "secret-key-credential-store", "mqtt-ra-it");
    private static final String CREDENTIAL_STORE_FILE = "mqtt-ra-it.cs";
    private static final ModelNode ENCRYPTION = address("subsystem", "elytron", "expression", "encryption");
    private static final String BEANS_WAR = "override-it.war";
    private static final int TLS_PORT = 8883;

    @ArquillianResource
    private Deployer deployer;

    @ArquillianResource
    private ManagementClient management;

    /** Deployed as users drop it in: its own ironjacamar.xml activates it until the subsystem takes over. */
    @Deployment(name = "rar", testable = false)
    static Archive<?> rar() {
        return Deployments.rar();
    }

    @Deployment(name = "beans", managed = false, testable = false)
    static Archive<?> beans() {
        return Deployments.jmsWar(BEANS_WAR).addClass(OverriddenFilterMdb.class);
    }

    @Test
    void propertiesChangedWithTheCliApplyOnReloadAndTheLogSaysWhich() throws Exception {
        ServerManagement server = new ServerManagement(management.getControllerClient());
        TestCertificates certs = TestCertificates.create(Files.createTempDirectory(Path.of("target").toAbsolutePath(), "subsystem-certs"));
        try {
            // the running adapter moves to the subsystem's activation: the overlay hides its own from the reload on
            runOnline(SCRIPTS.resolve("mqtt-ra-subsystem.cli"));
            server.reload();
            MqttProperties before = connAck("subsystem-before");
            assertEquals(1048576L, before.getMaximumPacketSize(), "the script's maxPacketSize [MQTT-3.2.2.3.6]");
            assertEquals(10, before.getTopicAliasMaximum(), "the script's topicAliasMaximum [MQTT-3.2.2.3.8]");

            // the README's commands: the key store password encrypted by Elytron, in clear nowhere in standalone.xml
            server.execute(with(operation("add", CREDENTIAL_STORE), "relative-to", "jboss.server.config.dir", "path", CREDENTIAL_STORE_FILE));
            ModelNode addResolver = operation("add", ENCRYPTION);
            addResolver.get("resolvers").add(with(new ModelNode(), "name", "mqtt-ra-it", "credential-store", "mqtt-ra-it", "secret-key", "key"));
            server.execute(addResolver);
            String encrypted = server.execute(with(operation("create-expression", ENCRYPTION), "resolver", "mqtt-ra-it",
                    "clear-text", TestCertificates.PASSWORD)).get("expression").asString();
            assertTrue(encrypted.startsWith("${ENC::mqtt-ra-it:"), encrypted);
            server.execute(with(operation("add", property("keyStore")), "value", certs.serverKeyStore.toString()));
            server.execute(with(operation("add", property("keyStorePassword")), "value", encrypted));
            server.write(property("maxPacketSize"), "value", "4096");
            server.write(property("topicAliasMaximum"), "value", "3");
            server.write(property("listeners"), "value", "tcp://0.0.0.0:1883,ssl://127.0.0.1:" + TLS_PORT);
            assertEquals(1048576L, connAck("subsystem-not-yet").getMaximumPacketSize(), "nothing changes before the reload");
            int logBefore = serverLog().size();
            server.reload();

            MqttProperties after = connAck("subsystem-after");
            assertEquals(4096L, after.getMaximumPacketSize());
            assertEquals(3, after.getTopicAliasMaximum());
            assertTlsLogin(certs);
            String changes = logLine(logBefore, "MQTT-RA configuration changed since the last start: ");
            System.out.println(changes);
            assertTrue(changes.contains("maxPacketSize: 1048576 -> 4096") && changes.contains("topicAliasMaximum: 10 -> 3")
                    && changes.contains("listeners: tcp://0.0.0.0:1883 -> tcp://0.0.0.0:1883,ssl://127.0.0.1:" + TLS_PORT)
                    && changes.contains("keyStorePassword: set"), changes);
            assertFalse(Files.readString(JBOSS_HOME.resolve("standalone/configuration/standalone.xml")).contains(TestCertificates.PASSWORD),
                    "the key store password is not in clear in standalone.xml");
        } finally {
            // back to the adapter's own activation, which the other tests use
            server.awaitRunning();
            removeIfPresent(server, ADAPTER);
            if (server.exists(address("deployment-overlay", "mqtt-ra-subsystem"))) {
                runOnlineCommand("deployment-overlay remove --name=mqtt-ra-subsystem");
            }
            removeIfPresent(server, ENCRYPTION);
            removeIfPresent(server, CREDENTIAL_STORE);
            server.reload();
            Files.deleteIfExists(JBOSS_HOME.resolve("standalone/configuration").resolve(CREDENTIAL_STORE_FILE));
        }
    }

    @Test
    void aDeploymentOverlayReplacesABeansActivationPropertyWithoutRebuildingIt() throws Exception {
        String ejbJar = """
                <ejb-jar xmlns="https://jakarta.ee/xml/ns/jakartaee" version="4.0">
                  <enterprise-beans>
                    <message-driven>
                      <ejb-name>OverriddenFilterMdb</ejb-name>
                      <activation-config>
                        <activation-config-property>
                          <activation-config-property-name>topicFilter</activation-config-property-name>
                          <activation-config-property-value>it/override/from-descriptor</activation-config-property-value>
                        </activation-config-property>
                      </activation-config>
                    </message-driven>
                  </enterprise-beans>
                </ejb-jar>
                """;
        Path descriptor = Files.createTempFile(Path.of("target").toAbsolutePath(), "ejb-jar-", ".xml");
        Files.writeString(descriptor, ejbJar);
        MqttClient watcher = new MqttClient("tcp://127.0.0.1:1883", "override-watcher", new MemoryPersistence());
        try {
            // the README's command, before the application is deployed (or with --redeploy-affected after)
            runOnlineCommand("deployment-overlay add --name=override-it --content=WEB-INF/ejb-jar.xml=" + descriptor
                    + " --deployments=" + BEANS_WAR);
            deployer.deploy("beans");
            watcher.connect(TestUsers.device());
            BlockingQueue<String> seen = new LinkedBlockingQueue<>();
            watcher.subscribe(OverriddenFilterMdb.SEEN, 1, (t, m) -> seen.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
            watcher.publish("it/override/from-descriptor", "a".getBytes(StandardCharsets.UTF_8), 1, false);
            assertEquals("it/override/from-descriptor", seen.poll(15, TimeUnit.SECONDS), "the descriptor's filter");
            watcher.publish(OverriddenFilterMdb.BUILT_IN_FILTER, "b".getBytes(StandardCharsets.UTF_8), 1, false);
            watcher.publish("it/override/from-descriptor", "marker".getBytes(StandardCharsets.UTF_8), 1, false);
            // one delivery at a time, in arrival order: a message on the built-in filter would come before the marker
            assertEquals("it/override/from-descriptor", seen.poll(15, TimeUnit.SECONDS), "nothing on the annotation's filter");
        } finally {
            if (watcher.isConnected()) {
                watcher.disconnect();
            }
            watcher.close();
            undeployQuietly("beans");
            runOnlineCommand("deployment-overlay remove --name=override-it");
        }
    }

    private static ModelNode property(String name) {
        return address("subsystem", "resource-adapters", "resource-adapter", Deployments.RAR_NAME, "config-properties", name);
    }

    private static ModelNode with(ModelNode op, String... parameters) {
        for (int i = 0; i < parameters.length; i += 2) {
            op.get(parameters[i]).set(parameters[i + 1]);
        }
        return op;
    }

    private static void removeIfPresent(ServerManagement server, ModelNode address) throws Exception {
        if (server.exists(address)) {
            server.execute(operation("remove", address));
        }
    }

    private void undeployQuietly(String deployment) {
        try {
            deployer.undeploy(deployment);
        } catch (RuntimeException e) {
            // not deployed: the test failed before it was
        }
    }

    /** The CONNACK properties an MQTT 5 client gets from the default listener. */
    private static MqttProperties connAck(String clientId) throws Exception {
        org.eclipse.paho.mqttv5.client.MqttClient c = new org.eclipse.paho.mqttv5.client.MqttClient("tcp://127.0.0.1:1883", clientId,
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(TestUsers.DEVICE);
        o.setPassword(TestUsers.DEVICE_PASSWORD.getBytes(StandardCharsets.UTF_8));
        try {
            return c.connectWithResult(o).getResponseProperties();
        } finally {
            if (c.isConnected()) {
                c.disconnect();
            }
            c.close();
        }
    }

    /** The TLS listener added by the change runs with the key store whose password the expression holds. */
    private static void assertTlsLogin(TestCertificates certs) throws Exception {
        MqttClient c = new MqttClient("ssl://127.0.0.1:" + TLS_PORT, "subsystem-tls", new MemoryPersistence());
        MqttConnectOptions o = TestUsers.device();
        o.setSocketFactory(certs.clientContext(false).getSocketFactory());
        c.connect(o);
        c.disconnect();
        c.close();
    }

    private static List<String> serverLog() throws Exception {
        return Files.readAllLines(JBOSS_HOME.resolve("standalone/log/server.log"));
    }

    /** The first line with {@code containing} that the server logged after its first {@code skipped} lines. */
    private static String logLine(int skipped, String containing) throws Exception {
        return serverLog().stream().skip(skipped).filter(l -> l.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("server.log has no new line with '" + containing + "'"));
    }

    /** Runs a CLI script written for an offline server (embed-server ... stop-embedded-server) against the running one, from its directory. */
    private void runOnline(Path script) throws Exception {
        List<String> online = Files.readAllLines(script).stream()
                .filter(l -> !l.startsWith("embed-server") && !l.startsWith("stop-embedded-server")).toList();
        Path file = Files.createTempFile(Path.of("target").toAbsolutePath(), "online-", ".cli");
        Files.write(file, online);
        jbossCli(script.getParent(), "--file=" + file);
    }

    private void runOnlineCommand(String command) throws Exception {
        jbossCli(Path.of("target"), "--command=" + command);
    }

    private void jbossCli(Path directory, String what) throws Exception {
        Process cli = new ProcessBuilder("sh", JBOSS_HOME.resolve("bin/jboss-cli.sh").toString(), "-c",
                "--controller=" + management.getMgmtAddress() + ":" + management.getMgmtPort(), what)
                .directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(cli.waitFor(120, TimeUnit.SECONDS), "jboss-cli " + what + " finished");
        assertEquals(0, cli.exitValue(), "jboss-cli " + what + ":\n" + output);
    }
}
