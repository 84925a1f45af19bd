package io.mqttra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mqttra.broker.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.Archive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The TLS, WebSocket and WebSocket-over-TLS listeners of the adapter deployed in WildFly. 
 * <p>Runs on both servers: its adapter settings go into the RAR's ironjacamar.xml on WildFly, and into a
 * server.xml override on Liberty, which restarts the adapter with them ({@code LibertyAdapterSettings}).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ListenersIT {

    private static final int TLS_PORT = 8883;
    private static final int WS_PORT = 8083;
    private static final int WSS_PORT = 8084;
    private static TestCertificates certs;

    /** The real adapter with an ironjacamar.xml that opens all four kinds of listener; certificates made now. */
    @Deployment(testable = false)
    static Archive<?> rarWithAllListeners() throws Exception {
        certs = TestCertificates.create(Files.createTempDirectory(Path.of("target").toAbsolutePath(), "wildfly-certs"));
        return Deployments.rarWith(Deployments.RAR_NAME, """
                  <config-property name="listeners">tcp://0.0.0.0:1883,ssl://127.0.0.1:%d,ws://127.0.0.1:%d/mqtt,wss://127.0.0.1:%d/mqtt</config-property>
                  <config-property name="keyStore">%s</config-property>
                  <config-property name="keyStorePassword">%s</config-property>
                """.formatted(TLS_PORT, WS_PORT, WSS_PORT, certs.serverKeyStore, TestCertificates.PASSWORD), "");
    }

    private static String roundTrip(String uri, String clientId, boolean tls) throws Exception {
        MqttClient c = new MqttClient(uri, clientId, new MemoryPersistence());
        MqttConnectOptions o = TestUsers.device();
        if (tls) {
            o.setSocketFactory(certs.clientContext(false).getSocketFactory());
        }
        c.connect(o);
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        c.subscribe("listeners/" + clientId, 1, (t, m) -> got.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
        c.publish("listeners/" + clientId, uri.getBytes(StandardCharsets.UTF_8), 1, false);
        String received = got.poll(10, TimeUnit.SECONDS);
        c.disconnect();
        c.close();
        return received;
    }

    @Test
    void tlsListener() throws Exception {
        String uri = "ssl://127.0.0.1:" + TLS_PORT;
        assertEquals(uri, roundTrip(uri, "wf-tls", true));
    }

    @Test
    void webSocketListener() throws Exception {
        String uri = "ws://127.0.0.1:" + WS_PORT + "/mqtt";
        assertEquals(uri, roundTrip(uri, "wf-ws", false));
    }

    @Test
    void webSocketOverTlsListener() throws Exception {
        String uri = "wss://127.0.0.1:" + WSS_PORT + "/mqtt";
        assertEquals(uri, roundTrip(uri, "wf-wss", true));
    }

    @Test
    void plainTcpListenerAlongside() throws Exception {
        String uri = "tcp://127.0.0.1:1883";
        assertEquals(uri, roundTrip(uri, "wf-tcp", false));
    }
}
