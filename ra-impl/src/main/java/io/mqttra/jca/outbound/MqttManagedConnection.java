package io.mqttra.jca.outbound;

import io.mqttra.broker.PublishedMessage;
import io.mqttra.jms.MqttJmsSession;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;

/**
 * A pooled connection of the outbound connection factories. It is cheap (the broker is in the same
 * JVM); what it carries is the transaction state of the work done through its handles.
 */
final class MqttManagedConnection implements ManagedConnection, MqttJmsSession.Owner {

    private final MqttManagedConnectionFactory factory;
    private final TransactionalPublisher publisher;
    private final Set<Object> handles = ConcurrentHashMap.newKeySet();
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private PrintWriter logWriter;

    MqttManagedConnection(MqttManagedConnectionFactory factory) {
        this.factory = factory;
        this.publisher = new TransactionalPublisher(factory);
    }

    @Override
    public void publish(PublishedMessage message) {
        publisher.publish(message);
    }

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) {
        Object handle = factory.newHandle(this);
        handles.add(handle);
        return handle;
    }

    /** A handle was closed by the application: the server may return this connection to its pool. */
    @Override
    public void closed(MqttJmsSession session) {
        handleClosed(session);
    }

    void handleClosed(Object handle) {
        handles.remove(handle);
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
        event.setConnectionHandle(handle);
        listeners.forEach(l -> l.connectionClosed(event));
    }

    @Override
    public void associateConnection(Object handle) throws ResourceException {
        Object previous;
        if (handle instanceof MqttJmsSession session) {
            previous = session.associate(this);
        } else if (handle instanceof NativeMqttConnection connection) {
            previous = connection.associate(this);
        } else {
            throw new NotSupportedException("Not an MQTT-RA connection handle: " + handle);
        }
        if (previous instanceof MqttManagedConnection old && old != this) {
            old.handles.remove(handle); // its cleanup must not invalidate a handle that moved here
        }
        handles.add(handle);
    }

    @Override
    public void cleanup() {
        handles.forEach(MqttManagedConnection::invalidate);
        handles.clear();
        publisher.reset();
    }

    @Override
    public void destroy() {
        cleanup();
    }

    private static void invalidate(Object handle) {
        if (handle instanceof MqttJmsSession session) {
            session.invalidate();
        } else if (handle instanceof NativeMqttConnection connection) {
            connection.invalidate();
        }
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public XAResource getXAResource() {
        return publisher;
    }

    @Override
    public LocalTransaction getLocalTransaction() {
        return new LocalTransaction() {
            @Override
            public void begin() {
                publisher.beginLocal();
            }

            @Override
            public void commit() {
                publisher.commitLocal();
            }

            @Override
            public void rollback() {
                publisher.rollbackLocal();
            }
        };
    }

    @Override
    public ManagedConnectionMetaData getMetaData() {
        return new ManagedConnectionMetaData() {
            @Override
            public String getEISProductName() {
                return "MQTT-RA";
            }

            @Override
            public String getEISProductVersion() {
                return "0.1";
            }

            @Override
            public int getMaxConnections() {
                return 0; // no limit of its own
            }

            @Override
            public String getUserName() {
                return null;
            }
        };
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }
}
