package io.mqttra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mqttra.broker.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.Archive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A TLS listener where the client certificate is the login ({@code ?auth=certificate}), beside the
 * default listener; the key store password comes from an expression WildFly resolves
 * ({@code -Dmqtt.it.keystore.password} in arquillian.xml), not from the descriptor.
 * <p>Runs on both servers: its adapter settings go into the RAR's ironjacamar.xml on WildFly, and into a
 * server.xml override on Liberty, which restarts the adapter with them ({@code LibertyAdapterSettings}).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CertificateLoginIT {

    private static final int TLS_PORT = 8883;
    private static final String URI = "ssl://127.0.0.1:" + TLS_PORT;
    private static TestCertificates certs;

    @Deployment(testable = false)
    static Archive<?> rar() throws Exception {
        certs = TestCertificates.create(Files.createTempDirectory(Path.of("target").toAbsolutePath(), "wildfly-client-certs"));
        return Deployments.rarWith(Deployments.RAR_NAME, """
                  <config-property name="listeners">tcp://0.0.0.0:1883,ssl://127.0.0.1:%d?auth=certificate&amp;name=devices-tls</config-property>
                  <config-property name="keyStore">%s</config-property>
                  <config-property name="keyStorePassword">${mqtt.it.keystore.password}</config-property>
                  <config-property name="trustStore">%s</config-property>
                  <config-property name="trustStorePassword">${mqtt.it.keystore.password}</config-property>
                  <config-property name="clientAuth">REQUIRED</config-property>
                  <config-property name="aclRules">allow all all devices/%%u/#</config-property>
                """.formatted(TLS_PORT, certs.serverKeyStore, certs.trustStore), "");
    }

    private static MqttAsyncClient connect(String clientId, SSLContext tls, String claimedUser) throws Exception {
        MqttAsyncClient c = new MqttAsyncClient(URI, clientId, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setSocketFactory(tls.getSocketFactory());
        if (claimedUser != null) {
            o.setUserName(claimedUser);
        }
        c.connect(o).waitForCompletion(10_000);
        return c;
    }

    private static int publishCode(MqttAsyncClient c, String topic) throws Exception {
        try {
            IMqttToken t = c.publish(topic, new MqttMessage("x".getBytes(StandardCharsets.UTF_8), 1, false, null));
            t.waitForCompletion(10_000);
            int[] codes = t.getReasonCodes();
            int code = codes == null || codes.length == 0 ? 0 : codes[0];
            return code == 0x10 ? 0 : code; // no matching subscribers: accepted
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    @Test
    void theCertificatesCommonNameIsTheUserWithoutAPassword() throws Exception {
        // the certificate says CN=device-1; the user name the client claims counts for nothing
        MqttAsyncClient c = connect("cert-device-1", certs.clientContext(true), "operator");
        try {
            assertEquals(0, publishCode(c, "devices/device-1/status"), "%u is the certificate's CN");
            assertEquals(0x87, publishCode(c, "devices/operator/status"), "not the claimed user name");
        } finally {
            c.disconnect().waitForCompletion(5_000);
            c.close();
        }
    }

    @Test
    void aCertificateOfAnotherCaFailsTheHandshake() throws Exception {
        TestCertificates stranger = TestCertificates.create(Files.createTempDirectory(Path.of("target").toAbsolutePath(),
                "wildfly-stranger-certs"));
        SSLContext mixed = SSLContext.getInstance("TLS");
        mixed.init(stranger.clientKeyManagers().getKeyManagers(), certs.trustManagers().getTrustManagers(), null);
        assertThrows(MqttException.class, () -> connect("cert-stranger", mixed, null));
    }
}
