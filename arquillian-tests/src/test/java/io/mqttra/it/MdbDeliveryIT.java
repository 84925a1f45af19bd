package io.mqttra.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.it.app.CommandsMdb;
import io.mqttra.it.app.ReceivedMessage;
import io.mqttra.it.app.ReceivedMessages;
import io.mqttra.it.app.TemperatureMdb;
import jakarta.ejb.EJB;
import jakarta.jms.DeliveryMode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.Archive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The deployed adapter delivers MQTT publications to message-driven beans, following the mapping
 * table of the design, and routes between MQTT clients. Runs inside WildFly; the MQTT clients are
 * Paho (in the test WAR) and Debian's mosquitto_pub/mosquitto_sub.
 */
@ExtendWith(ArquillianExtension.class)
class MdbDeliveryIT {

    private static final String BROKER = "tcp://127.0.0.1:1883";

    @Deployment(name = "rar", order = 1, testable = false)
    static Archive<?> rar() {
        return Deployments.rar();
    }

    @Deployment(order = 2) // unnamed: the default deployment, which the tests run in
    static Archive<?> app() {
        return Deployments.jmsWar("mdb-delivery-it.war")
                .addPackage(ReceivedMessages.class.getPackage())
                .addClasses(Deployments.class, MosquittoClients.class, TestUsers.class)
                .addAsLibraries(Deployments.pahoJar());
    }

    @EJB
    private ReceivedMessages received;

    /** Each test starts with empty recorders (JUnit's @BeforeEach also runs client-side, without injection). */
    private void forgetEarlierMessages() {
        received.clear();
    }

    private static MqttClient connected(String clientId) throws Exception {
        MqttClient c = new MqttClient(BROKER, clientId, new MemoryPersistence());
        c.connect(TestUsers.device());
        return c;
    }

    private static void publish(String clientId, String topic, byte[] payload, int qos) throws Exception {
        MqttClient c = connected(clientId);
        try {
            c.publish(topic, payload, qos, false);
        } finally {
            c.disconnect();
            c.close();
        }
    }

    private ReceivedMessage next(String bean) throws InterruptedException {
        ReceivedMessage m = received.next(bean, 10);
        assertNotNull(m, "the " + bean + " MDB received nothing within 10 s");
        return m;
    }

    @Test
    void qos1PublicationReachesTheMdbAsABytesMessage() throws Exception {
        forgetEarlierMessages();
        byte[] payload = {0x00, 0x15, (byte) 0xFF, '2', '1', '.', '5'};
        publish("it-thermo-1", "sensors/room1/temperature", payload, 1);

        ReceivedMessage m = next(TemperatureMdb.NAME);
        assertEquals("sensors/room1/temperature", m.topic(), "JMSDestination is the concrete topic");
        assertArrayEquals(payload, m.payload(), "payload bytes unchanged");
        assertEquals("BytesMessage", m.bodyType());
        assertEquals(1, m.qos(), "JMS_MQTT_QoS");
        assertEquals(DeliveryMode.PERSISTENT, m.deliveryMode());
        assertEquals("it-thermo-1", m.clientId(), "JMS_MQTT_ClientId");
        assertFalse(m.retain());
    }

    @Test
    void qos0PublicationArrivesNonPersistent() throws Exception {
        forgetEarlierMessages();
        publish("it-thermo-2", "sensors/room2/temperature", "19".getBytes(StandardCharsets.UTF_8), 0);
        ReceivedMessage m = next(TemperatureMdb.NAME);
        assertEquals(0, m.qos());
        assertEquals(DeliveryMode.NON_PERSISTENT, m.deliveryMode());
    }

    @Test
    void wildcardActivationReceivesMatchingTopicsOnly() throws Exception {
        forgetEarlierMessages();
        MqttClient c = connected("it-mixed");
        c.publish("sensors/room1/humidity", "40".getBytes(StandardCharsets.UTF_8), 1, false);
        c.publish("sensors/room1/shelf/temperature", "no".getBytes(StandardCharsets.UTF_8), 1, false);
        c.publish("office/room1/temperature", "no".getBytes(StandardCharsets.UTF_8), 1, false);
        c.publish("sensors/kitchen/temperature", "23".getBytes(StandardCharsets.UTF_8), 1, false);
        c.publish("plant/line1/commands", "marker".getBytes(StandardCharsets.UTF_8), 1, false);
        c.disconnect();
        c.close();

        // markers: published last by the same client at the same QoS, to beans that take one message at a time
        // in arrival order, so a wrongly matched earlier topic would have come first
        assertEquals("sensors/kitchen/temperature", next(TemperatureMdb.NAME).topic(),
                "nothing else matched sensors/+/temperature");
        assertEquals("marker", next(CommandsMdb.NAME).text(), "nor plant/line1/commands");
    }

    @Test
    void destinationPropertyQos2AndTextBodyType() throws Exception {
        forgetEarlierMessages();
        publish("it-operator", "plant/line1/commands", "start".getBytes(StandardCharsets.UTF_8), 2);
        ReceivedMessage m = next(CommandsMdb.NAME);
        assertEquals("plant/line1/commands", m.topic());
        assertEquals("TextMessage", m.bodyType());
        assertEquals("start", m.text());
        assertEquals(2, m.qos());
    }

    @Test
    void retainedFlagIsNotSetOnLiveDelivery() throws Exception {
        forgetEarlierMessages();
        MqttClient c = connected("it-retainer");
        c.publish("sensors/attic/temperature", "12".getBytes(StandardCharsets.UTF_8), 1, true);
        c.publish("sensors/attic/temperature", new byte[0], 1, true); // clears the retained message again
        c.disconnect();
        c.close();
        assertFalse(next(TemperatureMdb.NAME).retain(), "forwarded as published, not from the retained store");
    }

    @Test
    void mqttSubscriberReceivesPublicationsOfAnotherMqttClient() throws Exception {
        forgetEarlierMessages();
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        MqttClient sub = connected("it-dashboard");
        sub.subscribe("sensors/#", 1, (topic, msg) -> got.add(topic + " " + new String(msg.getPayload(), StandardCharsets.UTF_8)));
        publish("it-thermo-3", "sensors/room9/temperature", "20.5".getBytes(StandardCharsets.UTF_8), 1);
        assertEquals("sensors/room9/temperature 20.5", got.poll(10, TimeUnit.SECONDS));
        sub.disconnect();
        sub.close();
        assertEquals("sensors/room9/temperature", next(TemperatureMdb.NAME).topic(), "and the MDB got it too");
    }

    @Test
    void mosquittoPubReachesTheMdb() throws Exception {
        forgetEarlierMessages();
        MosquittoClients.requireInstalled();
        MosquittoClients.publish("-i", "mosq-thermo", "-t", "sensors/lab/temperature", "-q", "1", "-m", "21.5");
        ReceivedMessage m = next(TemperatureMdb.NAME);
        assertEquals("sensors/lab/temperature", m.topic());
        assertEquals("21.5", m.text());
        assertEquals(1, m.qos());
        assertEquals("mosq-thermo", m.clientId());
    }

    @Test
    void mosquittoSubSeesAPahoPublication() throws Exception {
        forgetEarlierMessages();
        MosquittoClients.requireInstalled();
        Process sub = MosquittoClients.subscribe("-i", "mosq-dashboard", "-t", "sensors/#", "-v", "-C", "1", "-W", "15");
        try {
            // publish until mosquitto_sub has subscribed and printed one message (-C 1 makes it exit)
            MqttClient pub = connected("it-thermo-4");
            for (int i = 0; i < 50 && sub.isAlive(); i++) {
                pub.publish("sensors/hall/temperature", "22.0".getBytes(StandardCharsets.UTF_8), 1, false);
                sub.waitFor(200, TimeUnit.MILLISECONDS);
            }
            pub.disconnect();
            pub.close();
            assertTrue(sub.waitFor(5, TimeUnit.SECONDS), "mosquitto_sub received a message and exited");
            try (InputStream out = sub.getInputStream()) {
                String line = new String(out.readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
                assertEquals("sensors/hall/temperature 22.0", line);
            }
        } finally {
            sub.destroyForcibly();
        }
    }

    @Test
    void nonMqttClientIsDisconnectedAndTheBrokerKeepsServing() throws Exception {
        forgetEarlierMessages();
        try (Socket http = new Socket("127.0.0.1", 1883)) {
            http.setSoTimeout(5000);
            OutputStream out = http.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            assertEquals(-1, http.getInputStream().read(), "closed without a reply");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3));
        }
        try (Socket junk = new Socket("127.0.0.1", 1883)) {
            junk.setSoTimeout(5000);
            junk.getOutputStream().write(new byte[] {0x10, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F});
            assertEquals(-1, junk.getInputStream().read(), "malformed remaining length closes the connection");
        }
        publish("it-after-junk", "sensors/porch/temperature", "8".getBytes(StandardCharsets.UTF_8), 1);
        assertEquals("sensors/porch/temperature", next(TemperatureMdb.NAME).topic());
    }
}
