package io.mqttra.jca.outbound;

import jakarta.resource.spi.ConnectionManager;

/** The outbound connection definition of the native {@link io.mqttra.api.MqttConnectionFactory}. */
public class NativeMqttManagedConnectionFactory extends MqttManagedConnectionFactory {

    private static final long serialVersionUID = 1L;

    @Override
    public Object createConnectionFactory(ConnectionManager manager) {
        return new NativeMqttConnectionFactory(this, manager);
    }

    @Override
    Object newHandle(MqttManagedConnection connection) {
        return new NativeMqttConnection(connection);
    }
}
