package io.mqttra.jca.outbound;

import io.mqttra.jms.MqttJmsSession;
import jakarta.resource.spi.ConnectionManager;

/**
 * The outbound connection definition whose connection factory is a JMS {@code ConnectionFactory}
 * (and {@code TopicConnectionFactory}); each handle is a JMS session.
 */
public class MqttJmsManagedConnectionFactory extends MqttManagedConnectionFactory {

    private static final long serialVersionUID = 1L;

    @Override
    public Object createConnectionFactory(ConnectionManager manager) {
        return new MqttJmsConnectionFactory(this, manager);
    }

    @Override
    Object newHandle(MqttManagedConnection connection) {
        return new MqttJmsSession(connection);
    }
}
