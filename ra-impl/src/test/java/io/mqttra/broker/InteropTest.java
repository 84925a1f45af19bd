package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.mqttra.testing.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Debian's mosquitto_pub, mosquitto_sub and mosquitto_rr, and MQTT.js on Node, against the engine. */
class InteropTest {

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    private String port() {
        return String.valueOf(broker.address().getPort());
    }

    /** Starts mosquitto_sub for one message and publishes with mosquitto_pub until it has printed it. */
    private String subscribeAndPublish(String[] subArgs, String[] pubArgs) throws Exception {
        Process sub = ExternalClients.start(null, concat(new String[] {"mosquitto_sub", "-h", "127.0.0.1", "-p", port(),
            "-C", "1", "-W", "10"}, subArgs));
        try {
            for (int i = 0; i < 40 && sub.isAlive(); i++) {
                ExternalClients.run(null, 10, concat(new String[] {"mosquitto_pub", "-h", "127.0.0.1", "-p", port()}, pubArgs));
                sub.waitFor(250, TimeUnit.MILLISECONDS);
            }
            assertTrue(sub.waitFor(5, TimeUnit.SECONDS), "mosquitto_sub got a message");
            return new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } finally {
            sub.destroyForcibly();
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void mosquittoQos2BetweenMosquittoClients() throws Exception {
        ExternalClients.requireMosquittoClients();
        String out = subscribeAndPublish(new String[] {"-t", "interop/q2", "-q", "2", "-v", "-F", "%t %q %p"},
                new String[] {"-t", "interop/q2", "-q", "2", "-m", "exactly-once"});
        assertEquals("interop/q2 2 exactly-once", out);
    }

    @Test
    void mosquittoMqtt5QoS2WithUserProperty() throws Exception {
        ExternalClients.requireMosquittoClients();
        String out = subscribeAndPublish(new String[] {"-V", "mqttv5", "-t", "interop/v5", "-q", "2", "-F", "%t %q %P %p"},
                new String[] {"-V", "mqttv5", "-t", "interop/v5", "-q", "2", "-m", "v5", "-D", "publish", "user-property", "unit", "C"});
        assertEquals("interop/v5 2 unit:C v5", out);
    }

    @Test
    void mosquittoRetainedMessageReachesALaterSubscriber() throws Exception {
        ExternalClients.requireMosquittoClients();
        ExternalClients.run(null, 10, "mosquitto_pub", "-h", "127.0.0.1", "-p", port(), "-t", "interop/retained",
                "-q", "1", "-r", "-m", "kept");
        String out = ExternalClients.run(null, 10, "mosquitto_sub", "-h", "127.0.0.1", "-p", port(), "-t", "interop/#",
                "-C", "1", "-W", "5", "-F", "%t %r %p");
        assertEquals("interop/retained 1 kept", out.strip());
    }

    @Test
    void mosquittoWillIsPublishedWhenTheClientIsKilled() throws Exception {
        ExternalClients.requireMosquittoClients();
        MqttClient watcher = new MqttClient(broker.uri(), "will-watcher", new MemoryPersistence());
        watcher.connect();
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        watcher.subscribe("interop/wills/#", 1, (t, m) -> got.add(t + " " + new String(m.getPayload(), StandardCharsets.UTF_8)));
        Process doomed = ExternalClients.start(null, "mosquitto_sub", "-h", "127.0.0.1", "-p", port(), "-i", "doomed",
                "-t", "interop/nothing", "--will-topic", "interop/wills/doomed", "--will-payload", "lost", "--will-qos", "1");
        Await.until(Duration.ofSeconds(5), "mosquitto_sub connected as doomed", () -> broker.broker().sessionCount() == 2);
        doomed.destroyForcibly(); // SIGKILL: no DISCONNECT
        assertEquals("interop/wills/doomed lost", got.poll(5, TimeUnit.SECONDS));
        watcher.disconnect();
        watcher.close();
    }

    @Test
    void mosquittoRrGetsTheAnswerOfAnMqtt5Responder() throws Exception {
        ExternalClients.requireMosquittoClients();
        Mqtt5BlockingClient responder = Mqtt5Client.builder().identifier("echo-service").serverHost("127.0.0.1")
                .serverPort(broker.address().getPort()).buildBlocking();
        responder.connect();
        responder.subscribeWith().topicFilter("service/echo").send();
        Mqtt5BlockingClient.Mqtt5Publishes requests = responder.publishes(MqttGlobalPublishFilter.ALL);
        Thread answer = new Thread(() -> {
            try {
                Optional<Mqtt5Publish> request = requests.receive(10, TimeUnit.SECONDS);
                request.ifPresent(r -> responder.publishWith().topic(r.getResponseTopic().orElseThrow())
                        .correlationData(r.getCorrelationData().orElse(null))
                        .payload(("echo: " + new String(r.getPayloadAsBytes(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8))
                        .send());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        answer.start();
        String out = ExternalClients.run(null, 15, "mosquitto_rr", "-h", "127.0.0.1", "-p", port(), "-t", "service/echo",
                "-e", "replies/rr", "-m", "ping", "-W", "10");
        assertEquals("echo: ping", out.strip());
        answer.join(5000);
        requests.close();
        responder.disconnect();
    }

    @Test
    void mqttJsMqtt311RoundTrip() throws Exception {
        ExternalClients.requireMqttJs();
        String out = ExternalClients.run(ExternalClients.NODE_PROJECT, 20, "node", "roundtrip.js", "mqtt://127.0.0.1:" + port(), "4");
        assertTrue(out.contains("\"topic\":\"js/node/data\",\"payload\":\"hello from MQTT.js\",\"qos\":2"), out);
    }

    @Test
    void mqttJsMqtt5RoundTripWithProperties() throws Exception {
        ExternalClients.requireMqttJs();
        String out = ExternalClients.run(ExternalClients.NODE_PROJECT, 20, "node", "roundtrip.js", "mqtt://127.0.0.1:" + port(), "5");
        assertTrue(out.contains("\"qos\":2"), out);
        assertTrue(out.contains("\"contentType\":\"text/plain\""), out);
        assertTrue(out.contains("\"userProperties\":{\"origin\":\"node\"}"), out);
        assertTrue(out.contains("\"responseTopic\":\"js/replies\""), out);
    }
}
