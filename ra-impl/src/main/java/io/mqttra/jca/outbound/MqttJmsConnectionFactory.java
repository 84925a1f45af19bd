package io.mqttra.jca.outbound;

import io.mqttra.jms.MqttJmsConnection;
import io.mqttra.jms.MqttJmsContext;
import io.mqttra.jms.MqttJmsSession;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;
import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import java.io.Serializable;
import javax.naming.Reference;

/**
 * The JMS connection factory applications look up ({@code java:/mqtt/ConnectionFactory} on WildFly).
 * Every session, or context, is a handle on a connection from the server's pool.
 */
public final class MqttJmsConnectionFactory implements ConnectionFactory, TopicConnectionFactory, Serializable, Referenceable {

    private static final long serialVersionUID = 1L;

    private final MqttManagedConnectionFactory mcf;
    private final ConnectionManager manager;
    private Reference reference;

    MqttJmsConnectionFactory(MqttManagedConnectionFactory mcf, ConnectionManager manager) {
        this.mcf = mcf;
        this.manager = manager;
    }

    private MqttJmsSession openSession() throws JMSException {
        try {
            return (MqttJmsSession) manager.allocateConnection(mcf, null);
        } catch (ResourceException | IllegalStateException e) {
            JMSException jms = new JMSException("Cannot get an MQTT-RA connection: " + e.getMessage());
            jms.initCause(e);
            jms.setLinkedException(e);
            throw jms;
        }
    }

    @Override
    public Connection createConnection() {
        return new MqttJmsConnection(this::openSession);
    }

    /** User and password are not used: the broker is in this server. */
    @Override
    public Connection createConnection(String userName, String password) {
        return createConnection();
    }

    @Override
    public TopicConnection createTopicConnection() {
        return new MqttJmsConnection(this::openSession);
    }

    @Override
    public TopicConnection createTopicConnection(String userName, String password) {
        return createTopicConnection();
    }

    @Override
    public JMSContext createContext() {
        return new MqttJmsContext(this::openSession);
    }

    @Override
    public JMSContext createContext(String userName, String password) {
        return createContext();
    }

    @Override
    public JMSContext createContext(String userName, String password, int sessionMode) {
        return createContext();
    }

    @Override
    public JMSContext createContext(int sessionMode) {
        return createContext();
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
