package io.mqttra.jca.outbound;

import io.mqttra.broker.MqttBroker;
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
 * What the two outbound connection definitions share: the server pools their managed connections and
 * enlists them in JTA transactions, and every connection publishes to the adapter's broker. They differ
 * in the connection factory and the handle applications get: {@link MqttJmsManagedConnectionFactory}
 * and {@link NativeMqttManagedConnectionFactory}.
 */
public abstract class MqttManagedConnectionFactory implements ManagedConnectionFactory, ResourceAdapterAssociation {

    private static final long serialVersionUID = 1L;

    private transient ResourceAdapter resourceAdapter;
    private transient BrokerHost brokerHost;
    private transient PrintWriter logWriter;

    /** The application-facing connection factory, whose connections the server's {@code manager} pools. */
    @Override
    public abstract Object createConnectionFactory(ConnectionManager manager);

    /** Outside an application server: connections without a pool or transactions. */
    @Override
    public Object createConnectionFactory() {
        return createConnectionFactory(new UnpooledConnectionManager());
    }

    /** The application-facing handle for one managed connection. */
    abstract Object newHandle(MqttManagedConnection connection);

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
        return brokerHost != null && brokerHost.broker() != null;
    }

    MqttBroker broker() {
        MqttBroker broker = brokerHost == null ? null : brokerHost.broker();
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
        if (!(ra instanceof BrokerHost host)) {
            throw new ResourceException("MQTT-RA connection factories belong to the MQTT-RA resource adapter, not " + ra);
        }
        this.resourceAdapter = ra;
        this.brokerHost = host;
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
