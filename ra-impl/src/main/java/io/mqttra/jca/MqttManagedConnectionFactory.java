package io.mqttra.jca;

import io.mqttra.broker.MqttBroker;
import io.mqttra.jms.MqttJmsSession;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import java.io.PrintWriter;
import java.util.Set;
import javax.security.auth.Subject;

/**
 * The outbound connection definition whose connection factory is a JMS {@code ConnectionFactory}
 * (and {@code TopicConnectionFactory}). The server pools its managed connections and enlists them in
 * JTA transactions; each handle is a JMS session.
 */
public class MqttManagedConnectionFactory implements ManagedConnectionFactory, ResourceAdapterAssociation {

    private static final long serialVersionUID = 1L;

    private transient MqttResourceAdapter resourceAdapter;
    private transient PrintWriter logWriter;

    @Override
    public Object createConnectionFactory(ConnectionManager manager) {
        return new MqttJmsConnectionFactory(this, manager);
    }

    /** Outside an application server: connections without a pool or transactions. */
    @Override
    public Object createConnectionFactory() {
        return createConnectionFactory(new UnpooledConnectionManager());
    }

    /** The application-facing handle for one managed connection. */
    Object newHandle(MqttManagedConnection connection) {
        return new MqttJmsSession(connection);
    }

    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info) {
        return new MqttManagedConnection(this);
    }

    /** All connections are alike (there is no user or other request information): any will do. */
    @Override
    @SuppressWarnings("rawtypes")
    public ManagedConnection matchManagedConnections(Set connections, Subject subject, ConnectionRequestInfo info) {
        for (Object c : connections) {
            if (c instanceof MqttManagedConnection mc) {
                return mc;
            }
        }
        return null;
    }

    boolean isBrokerRunning() {
        return resourceAdapter != null && resourceAdapter.broker() != null;
    }

    MqttBroker broker() {
        MqttBroker broker = resourceAdapter == null ? null : resourceAdapter.broker();
        if (broker == null) {
            throw new IllegalStateException("The MQTT-RA resource adapter is not started");
        }
        return broker;
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) throws ResourceException {
        this.resourceAdapter = (MqttResourceAdapter) ra;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    /** Factories of one kind for one adapter are interchangeable (they have no properties). */
    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass()
                && ((MqttManagedConnectionFactory) o).resourceAdapter == resourceAdapter;
    }

    @Override
    public int hashCode() {
        return getClass().hashCode();
    }

    /** Creates a connection per request; for use outside a server, where there is no pool. */
    private static final class UnpooledConnectionManager implements ConnectionManager {
        private static final long serialVersionUID = 1L;

        @Override
        public Object allocateConnection(ManagedConnectionFactory mcf, ConnectionRequestInfo info) throws ResourceException {
            return mcf.createManagedConnection(null, info).getConnection(null, info);
        }
    }
}
