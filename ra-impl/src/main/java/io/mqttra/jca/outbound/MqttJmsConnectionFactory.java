package io.mqttra.jca.outbound;

import io.mqttra.jms.MqttJmsConnection;
import io.mqttra.jms.MqttJmsContext;
import io.mqttra.jms.MqttJmsSession;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
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
    private static final String NO_USER_CREDENTIALS = "MQTT-RA's connection factory publishes as the application, in the"
            + " server's own security context: a user name and password are not accepted; use createConnection()"
            + " or createContext()";

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

    /**
     * Refused rather than ignored: messages from this factory are the application's, sent with the
     * container's identity, and silently dropping a user name would let code believe it published as
     * that user.
     */
    @Override
    public Connection createConnection(String userName, String password) throws JMSException {
        throw new JMSSecurityException(NO_USER_CREDENTIALS);
    }

    @Override
    public TopicConnection createTopicConnection() {
        return new MqttJmsConnection(this::openSession);
    }

    @Override
    public TopicConnection createTopicConnection(String userName, String password) throws JMSException {
        throw new JMSSecurityException(NO_USER_CREDENTIALS);
    }

    @Override
    public JMSContext createContext() {
        return new MqttJmsContext(this::openSession);
    }

    @Override
    public JMSContext createContext(String userName, String password) {
        throw new JMSSecurityRuntimeException(NO_USER_CREDENTIALS);
    }

    @Override
    public JMSContext createContext(String userName, String password, int sessionMode) {
        throw new JMSSecurityRuntimeException(NO_USER_CREDENTIALS);
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
