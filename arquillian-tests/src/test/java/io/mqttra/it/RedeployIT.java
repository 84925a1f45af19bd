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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
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
 * it can be deployed again on the same port without restarting the server; what it keeps on disk comes
 * back with it.
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

    /**
     * With {@code persistence} (the default), a persistent session offline with QoS 1 messages queued for
     * it, and a retained message, outlive an undeploy and a deploy of the adapter: the client resumes its
     * session (session present [MQTT-3.2.2-2]) and gets the messages in order, and a new subscriber gets
     * the retained message.
     */
    @Test
    void aPersistentSessionAndARetainedMessageOutliveARedeploy() throws Exception {
        deployer.deploy(RAR);
        try {
            MqttConnectOptions persistent = TestUsers.device();
            persistent.setCleanSession(false);
            MqttClient keeper = new MqttClient("tcp://127.0.0.1:1883", "redeploy-keeper", new MemoryPersistence());
            keeper.connect(persistent);
            keeper.subscribe("redeploy/kept/#", 1);
            keeper.disconnect();
            keeper.close();
            MqttClient publisher = new MqttClient("tcp://127.0.0.1:1883", "redeploy-publisher", new MemoryPersistence());
            publisher.connect(TestUsers.device());
            publisher.publish("redeploy/kept/status", "on".getBytes(StandardCharsets.UTF_8), 1, true);
            for (int i = 0; i < 5; i++) {
                publisher.publish("redeploy/kept/x", ("m" + i).getBytes(StandardCharsets.UTF_8), 1, false);
            }
            publisher.disconnect();
            publisher.close();

            deployer.undeploy(RAR);
            deployer.deploy(RAR);

            keeper = new MqttClient("tcp://127.0.0.1:1883", "redeploy-keeper", new MemoryPersistence());
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            keeper.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    got.add(new String(message.getPayload(), StandardCharsets.UTF_8));
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            assertTrue(keeper.connectWithResult(persistent).getSessionPresent(), "the session is back after the redeploy");
            List<String> received = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String m = got.poll(10, TimeUnit.SECONDS);
                assertTrue(m != null, "message " + (i + 1) + " of 6 after the redeploy; got " + received);
                received.add(m);
            }
            assertEquals(List.of("on", "m0", "m1", "m2", "m3", "m4"), received, "every queued message, in order");
            // a clean session ends it: later tests on this server find nothing left of it
            keeper.disconnect();
            keeper.close();
            MqttClient ending = new MqttClient("tcp://127.0.0.1:1883", "redeploy-keeper", new MemoryPersistence());
            ending.connect(TestUsers.device());

            BlockingQueue<String> retained = new LinkedBlockingQueue<>();
            ending.subscribe("redeploy/kept/status", 1, (t, m) -> retained.add(new String(m.getPayload(), StandardCharsets.UTF_8)
                    + (m.isRetained() ? " (retained)" : "")));
            assertEquals("on (retained)", retained.poll(10, TimeUnit.SECONDS), "the retained message is back after the redeploy");
            ending.publish("redeploy/kept/status", new byte[0], 1, true); // deleted, for the tests after this one
            ending.disconnect();
            ending.close();
        } finally {
            deployer.undeploy(RAR);
        }
    }

    private static void openMqttPort() throws IOException {
        new Socket("127.0.0.1", 1883).close();
    }
}
