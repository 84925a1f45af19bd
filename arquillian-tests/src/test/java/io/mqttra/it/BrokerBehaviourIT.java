package io.mqttra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.Archive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** QoS 2, retained messages, wills and persistent sessions with the engine inside WildFly. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BrokerBehaviourIT {

    private static final String BROKER = "tcp://127.0.0.1:1883";

    @Deployment(testable = false)
    static Archive<?> rar() {
        return Deployments.rar();
    }

    record Received(String topic, MqttMessage message) {
        String text() {
            return new String(message.getPayload(), StandardCharsets.UTF_8);
        }
    }

    private static MqttClient client(String id, BlockingQueue<Received> sink, boolean cleanSession) throws Exception {
        MqttClient c = new MqttClient(BROKER, id, new MemoryPersistence());
        c.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                sink.add(new Received(topic, message));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = TestUsers.device();
        o.setCleanSession(cleanSession);
        c.connect(o);
        return c;
    }

    private static Received next(BlockingQueue<Received> q) throws InterruptedException {
        Received r = q.poll(10, TimeUnit.SECONDS);
        assertNotNull(r, "nothing arrived within 10 s");
        return r;
    }

    private static void close(MqttClient... clients) throws Exception {
        for (MqttClient c : clients) {
            if (c.isConnected()) {
                c.disconnect();
            }
            c.close();
        }
    }

    @Test
    void qos2IsDeliveredExactlyOnce() throws Exception {
        BlockingQueue<Received> got = new LinkedBlockingQueue<>();
        MqttClient sub = client("wf-q2-sub", got, true);
        sub.subscribe("wf/q2", 2);
        MqttClient pub = client("wf-q2-pub", new LinkedBlockingQueue<>(), true);
        pub.publish("wf/q2", "once".getBytes(StandardCharsets.UTF_8), 2, false);
        Received r = next(got);
        assertEquals(2, r.message().getQos());
        // same publisher, subscriber, topic and QoS: a second copy of "once" would come before the marker
        pub.publish("wf/q2", "marker".getBytes(StandardCharsets.UTF_8), 2, false);
        assertEquals("marker", next(got).text(), "delivered once");
        close(sub, pub);
    }

    @Test
    void retainedMessageReachesLaterSubscribersAndEmptyPayloadClearsIt() throws Exception {
        MqttClient pub = client("wf-ret-pub", new LinkedBlockingQueue<>(), true);
        pub.publish("wf/retained", "on".getBytes(StandardCharsets.UTF_8), 1, true);
        BlockingQueue<Received> got = new LinkedBlockingQueue<>();
        MqttClient sub = client("wf-ret-sub", got, true);
        sub.subscribe("wf/#", 1);
        Received r = next(got);
        assertEquals("on", r.text());
        assertTrue(r.message().isRetained());
        pub.publish("wf/retained", new byte[0], 1, true);
        next(got); // the empty live message itself
        BlockingQueue<Received> later = new LinkedBlockingQueue<>();
        MqttClient sub2 = client("wf-ret-sub2", later, true);
        sub2.subscribe("wf/retained", 1);
        // the subscriber's own PUBLISH is read after its SUBSCRIBE was handled, retained messages included
        sub2.publish("wf/retained", "marker".getBytes(StandardCharsets.UTF_8), 1, false);
        assertEquals("marker", next(later).text(), "cleared: no retained message before the marker");
        close(sub, sub2, pub);
    }

    @Test
    void willIsPublishedWhenAClientDropsWithoutDisconnect() throws Exception {
        BlockingQueue<Received> got = new LinkedBlockingQueue<>();
        MqttClient watcher = client("wf-watcher", got, true);
        watcher.subscribe("wf/wills/#", 1);
        MqttClient doomed = new MqttClient(BROKER, "wf-doomed", new MemoryPersistence());
        MqttConnectOptions o = TestUsers.device();
        o.setWill("wf/wills/doomed", "offline".getBytes(StandardCharsets.UTF_8), 1, false);
        doomed.connect(o);
        doomed.disconnectForcibly(0, 100, false); // no DISCONNECT packet
        Received r = next(got);
        assertEquals("wf/wills/doomed", r.topic());
        assertEquals("offline", r.text());
        doomed.close();
        close(watcher);
    }

    @Test
    void persistentSessionKeepsSubscriptionsAndQueuesWhileOffline() throws Exception {
        BlockingQueue<Received> got = new LinkedBlockingQueue<>();
        MqttClient device = client("wf-device", got, false);
        device.subscribe("wf/commands/device", 1);
        device.disconnect();

        MqttClient app = client("wf-app", new LinkedBlockingQueue<>(), true);
        app.publish("wf/commands/device", "reboot".getBytes(StandardCharsets.UTF_8), 1, false);
        app.publish("wf/commands/device", "update".getBytes(StandardCharsets.UTF_8), 2, false);

        MqttConnectOptions resume = TestUsers.device();
        resume.setCleanSession(false);
        assertTrue(device.connectWithResult(resume).getSessionPresent());
        assertEquals("reboot", next(got).text());
        assertEquals("update", next(got).text());
        close(device, app);
    }
}
