package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** MQTT 5 clients (HiveMQ MQTT client) on the same listener as 3.x clients. */
class Mqtt5ClientTest {

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    private Mqtt5BlockingClient client(String id) {
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.address().getPort())
                .buildBlocking();
    }

    @Test
    void emptyClientIdGetsAnAssignedClientIdentifier_MQTT_3_2_2_3_7() {
        Mqtt5BlockingClient c = Mqtt5Client.builder().serverHost("127.0.0.1").serverPort(broker.address().getPort())
                .buildBlocking();
        Mqtt5ConnAck ack = c.connect();
        assertTrue(ack.getAssignedClientIdentifier().isPresent());
        assertTrue(ack.getAssignedClientIdentifier().get().toString().startsWith("mqttra-"));
        c.disconnect();
    }

    @Test
    void applicationPropertiesTravelFromPublisherToSubscriber_MQTT_3_3_2_3() throws Exception {
        Mqtt5BlockingClient sub = client("v5-sub");
        sub.connect();
        sub.subscribeWith().topicFilter("req/+").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL);

        Mqtt5BlockingClient pub = client("v5-pub");
        pub.connect();
        pub.publishWith().topic("req/1").qos(MqttQos.AT_LEAST_ONCE)
                .payload("{\"t\":21.5}".getBytes(StandardCharsets.UTF_8))
                .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                .contentType("application/json")
                .responseTopic("resp/1")
                .correlationData("corr-42".getBytes(StandardCharsets.UTF_8))
                .messageExpiryInterval(3600)
                .userProperties().add("unit", "C").add("site", "A").add("unit", "F").applyUserProperties()
                .send();

        Optional<Mqtt5Publish> received = publishes.receive(5, TimeUnit.SECONDS);
        assertTrue(received.isPresent());
        Mqtt5Publish m = received.get();
        assertEquals("req/1", m.getTopic().toString());
        assertEquals(Optional.of(Mqtt5PayloadFormatIndicator.UTF_8), m.getPayloadFormatIndicator());
        assertEquals("application/json", m.getContentType().orElseThrow().toString());
        assertEquals("resp/1", m.getResponseTopic().orElseThrow().toString());
        assertEquals("corr-42", StandardCharsets.UTF_8.decode(m.getCorrelationData().orElseThrow()).toString());
        long expiry = m.getMessageExpiryInterval().orElseThrow();
        assertTrue(expiry > 3500 && expiry <= 3600, "remaining expiry forwarded: " + expiry);
        assertEquals("[(unit, C), (site, A), (unit, F)]", m.getUserProperties().asList().toString(),
                "user properties in order, repeated keys kept [MQTT-3.3.2-18]");
        publishes.close();
        pub.disconnect();
        sub.disconnect();
    }

    @Test
    void mqtt5AndMqtt311ClientsExchangeMessages() throws Exception {
        Mqtt5BlockingClient v5 = client("v5");
        v5.connect();
        v5.subscribeWith().topicFilter("mixed").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient.Mqtt5Publishes publishes = v5.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL);
        org.eclipse.paho.client.mqttv3.MqttClient v3 = new org.eclipse.paho.client.mqttv3.MqttClient(broker.uri(), "v3",
                new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        v3.connect();
        v3.publish("mixed", "from 3.1.1".getBytes(StandardCharsets.UTF_8), 1, false);
        Mqtt5Publish m = publishes.receive(5, TimeUnit.SECONDS).orElseThrow();
        assertEquals("from 3.1.1", new String(m.getPayloadAsBytes(), StandardCharsets.UTF_8));
        publishes.close();
        v3.disconnect();
        v3.close();
        v5.disconnect();
    }
}
