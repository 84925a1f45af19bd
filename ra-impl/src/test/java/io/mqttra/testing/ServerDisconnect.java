package io.mqttra.testing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A Paho v5 callback that keeps the DISCONNECT the server sends, for tests of what the server tells a client. */
public final class ServerDisconnect implements MqttCallback {

    private final CompletableFuture<MqttDisconnectResponse> told = new CompletableFuture<>();

    /** The server's DISCONNECT, waiting for it at most {@code seconds}. */
    public MqttDisconnectResponse await(long seconds) throws Exception {
        return told.get(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        told.complete(response);
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
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
}
