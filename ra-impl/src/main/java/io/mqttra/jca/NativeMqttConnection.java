package io.mqttra.jca;

import io.mqttra.api.MqttConnection;
import io.mqttra.api.MqttTopics;
import io.mqttra.broker.PublishedMessage;
import io.mqttra.broker.PublishedMessage.Mqtt5Properties;
import java.util.List;
import java.util.Map;

/** The handle of the native API on one pooled connection. */
final class NativeMqttConnection implements MqttConnection {

    private volatile MqttManagedConnection owner;
    private volatile boolean closed;

    NativeMqttConnection(MqttManagedConnection owner) {
        this.owner = owner;
    }

    MqttManagedConnection associate(MqttManagedConnection newOwner) {
        MqttManagedConnection previous = owner;
        owner = newOwner;
        return previous;
    }

    void invalidate() {
        closed = true;
    }

    @Override
    public void publish(String topic, byte[] payload, int qos, boolean retain, Map<String, String> userProperties) {
        if (closed) {
            throw new IllegalStateException("The MQTT connection is closed");
        }
        String problem = MqttTopics.topicNameProblem(topic);
        if (problem != null) {
            throw new IllegalArgumentException("'" + topic + "' is not an MQTT topic name: " + problem);
        }
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2, not " + qos);
        }
        Mqtt5Properties props = userProperties.isEmpty() ? Mqtt5Properties.NONE
                : new Mqtt5Properties(null, null, null, null, null, List.copyOf(userProperties.entrySet()));
        owner.publish(new PublishedMessage(topic, payload.clone(), qos, retain, null, null, System.currentTimeMillis(), props));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            owner.handleClosed(this);
        }
    }
}
