package io.mqttra.it.outbound;

import io.mqttra.it.TestUsers;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** An MQTT 5 subscriber (Paho v5) that queues what it receives, so tests see MQTT 5 properties. */
public final class V5Subscriber implements MqttCallback, AutoCloseable {

    public record Received(String topic, MqttMessage message) {
        public String text() {
            return new String(message.getPayload(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final MqttClient client;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    public V5Subscriber(String clientId, String filter, int qos) throws MqttException {
        client = new MqttClient("tcp://127.0.0.1:1883", clientId, new MemoryPersistence());
        client.setCallback(this);
        client.connect(deviceOptions());
        client.subscribe(filter, qos);
    }

    /** Paho v5 options logged in as {@link TestUsers#DEVICE}. */
    public static MqttConnectionOptions deviceOptions() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(TestUsers.DEVICE);
        options.setPassword(TestUsers.DEVICE_PASSWORD.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return options;
    }

    public Received next(long seconds) throws InterruptedException {
        return received.poll(seconds, TimeUnit.SECONDS);
    }

    /**
     * Publishes through this subscriber's own connection, and returns once the broker has acknowledged
     * it: a marker that reaches this subscriber after everything the broker had routed to it before.
     */
    public void publish(String topic, String text, int qos) throws MqttException {
        client.publish(topic, text.getBytes(java.nio.charset.StandardCharsets.UTF_8), qos, false);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        received.add(new Received(topic, message));
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }

    @Override
    public void close() throws MqttException {
        client.disconnect();
        client.close();
    }
}
