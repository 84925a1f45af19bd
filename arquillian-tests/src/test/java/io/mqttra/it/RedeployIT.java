package io.mqttra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.it.probe.BrokerThreadsServlet;
import java.io.IOException;
import io.mqttra.testing.Await;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Undeploying the adapter closes its listener, disconnects its clients and ends its threads, so that
 * it can be deployed again on the same port without restarting the server.
 * <p>WildFly only: it redeploys the RAR, which on Liberty is installed by server.xml.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RedeployIT {

    private static final String RAR = "rar";

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = RAR, managed = false, testable = false)
    static Archive<?> rar() {
        return Deployments.rar();
    }

    @Deployment(name = "probe", testable = false)
    static Archive<?> probe() {
        return ShrinkWrap.create(WebArchive.class, "broker-probe.war").addClass(BrokerThreadsServlet.class);
    }

    private static String brokerThreads(URL probe) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(probe + "broker-threads")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    @Test
    void undeployFreesThePortAndThreadsAndRedeployServesAgain(@ArquillianResource @OperateOnDeployment("probe") URL probe)
            throws Exception {
        for (int round = 1; round <= 3; round++) {
            deployer.deploy(RAR);
            assertTrue(brokerThreads(probe).contains("mqtt-ra-accept"), "round " + round + ": broker threads running");
            MqttClient client = new MqttClient("tcp://127.0.0.1:1883", "redeploy-" + round, new MemoryPersistence());
            client.connect(TestUsers.device());
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            client.subscribe("redeploy/check", 1, (t, m) -> got.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
            client.publish("redeploy/check", ("round " + round).getBytes(StandardCharsets.UTF_8), 1, false);
            assertEquals("round " + round, got.poll(10, TimeUnit.SECONDS));

            deployer.undeploy(RAR);
            Await.until(Duration.ofSeconds(10), "round " + round + ": the client disconnected by the undeploy",
                    () -> !client.isConnected());
            client.close();
            assertThrows(ConnectException.class, RedeployIT::openMqttPort, "round " + round + ": the listener is closed");
            assertEquals("", brokerThreads(probe), "round " + round + ": no adapter thread left");
        }
    }

    private static void openMqttPort() throws IOException {
        new Socket("127.0.0.1", 1883).close();
    }
}
