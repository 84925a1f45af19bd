package io.mqttra.jca.outbound;

import io.mqttra.api.MqttConnection;
import io.mqttra.jms.NativeMessageMapper;
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
        owner.publish(NativeMessageMapper.toPublished(topic, payload, qos, retain, userProperties));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            owner.handleClosed(this);
        }
    }
}
