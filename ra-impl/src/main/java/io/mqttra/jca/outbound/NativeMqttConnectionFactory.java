package io.mqttra.jca.outbound;

import io.mqttra.api.MqttConnection;
import io.mqttra.api.MqttConnectionFactory;
import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import java.io.Serializable;
import javax.naming.Reference;

/** The native connection factory ({@code java:/mqtt/MqttConnectionFactory} on WildFly). */
public final class NativeMqttConnectionFactory implements MqttConnectionFactory, Serializable, Referenceable {

    private static final long serialVersionUID = 1L;

    private final MqttManagedConnectionFactory mcf;
    private final ConnectionManager manager;
    private Reference reference;

    NativeMqttConnectionFactory(MqttManagedConnectionFactory mcf, ConnectionManager manager) {
        this.mcf = mcf;
        this.manager = manager;
    }

    @Override
    public MqttConnection getConnection() throws ResourceException {
        return (MqttConnection) manager.allocateConnection(mcf, null);
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }
}
