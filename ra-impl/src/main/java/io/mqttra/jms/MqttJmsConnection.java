package io.mqttra.jms;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionConsumer;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.ServerSessionPool;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicSession;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A classic-API connection. It holds nothing itself: each session it creates is a handle on a
 * pooled connection of the resource adapter, taken from the pool by {@link SessionSource}.
 */
public final class MqttJmsConnection implements Connection, TopicConnection {

    /** Takes a session handle from the server's pool. */
    public interface SessionSource {
        MqttJmsSession openSession() throws JMSException;
    }

    private final SessionSource source;
    private final List<MqttJmsSession> sessions = new CopyOnWriteArrayList<>();
    private ExceptionListener exceptionListener;
    private volatile boolean closed;

    public MqttJmsConnection(SessionSource source) {
        this.source = source;
    }

    @Override
    public Session createSession(boolean transacted, int acknowledgeMode) throws JMSException {
        // in a Jakarta EE container the arguments are ignored: the JTA transaction decides (JMS 3.1 section 12.3)
        return createSession();
    }

    @Override
    public Session createSession(int sessionMode) throws JMSException {
        return createSession();
    }

    @Override
    public Session createSession() throws JMSException {
        if (closed) {
            throw new IllegalStateException("The connection is closed");
        }
        MqttJmsSession session = source.openSession();
        sessions.removeIf(MqttJmsSession::isClosed); // a long-lived connection does not collect closed sessions
        sessions.add(session);
        return session;
    }

    @Override
    public TopicSession createTopicSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return (TopicSession) createSession();
    }

    @Override
    public String getClientID() {
        return null;
    }

    @Override
    public void setClientID(String clientID) throws JMSException {
        throw new IllegalStateException(Refusals.CLIENT_ID);
    }

    @Override
    public ConnectionMetaData getMetaData() {
        return MqttConnectionMetaData.INSTANCE;
    }

    @Override
    public ExceptionListener getExceptionListener() {
        return exceptionListener;
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) {
        this.exceptionListener = listener;
    }

    @Override
    public void start() {
    }

    @Override
    public void stop() {
    }

    /** Closes every session, which returns their pooled connections to the pool. */
    @Override
    public void close() {
        closed = true;
        sessions.forEach(MqttJmsSession::close);
        sessions.clear();
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Destination destination, String messageSelector,
                                                       ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw Refusals.consuming();
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Topic topic, String messageSelector, ServerSessionPool sessionPool,
                                                       int maxMessages) throws JMSException {
        throw Refusals.consuming();
    }

    @Override
    public ConnectionConsumer createSharedConnectionConsumer(Topic topic, String subscriptionName, String messageSelector,
                                                             ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw Refusals.consuming();
    }

    @Override
    public ConnectionConsumer createDurableConnectionConsumer(Topic topic, String subscriptionName, String messageSelector,
                                                              ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw Refusals.consuming();
    }

    @Override
    public ConnectionConsumer createSharedDurableConnectionConsumer(Topic topic, String subscriptionName,
                                                                    String messageSelector, ServerSessionPool sessionPool,
                                                                    int maxMessages) throws JMSException {
        throw Refusals.consuming();
    }

    /** What {@link Connection#getMetaData()} reports. */
    enum MqttConnectionMetaData implements ConnectionMetaData {
        INSTANCE;

        @Override
        public String getJMSVersion() {
            return "3.1";
        }

        @Override
        public int getJMSMajorVersion() {
            return 3;
        }

        @Override
        public int getJMSMinorVersion() {
            return 1;
        }

        @Override
        public String getJMSProviderName() {
            return "MQTT-RA";
        }

        @Override
        public String getProviderVersion() {
            return "0.1";
        }

        @Override
        public int getProviderMajorVersion() {
            return 0;
        }

        @Override
        public int getProviderMinorVersion() {
            return 1;
        }

        @Override
        public Enumeration<String> getJMSXPropertyNames() {
            return java.util.Collections.enumeration(List.of("JMSXUserID", "JMSXDeliveryCount"));
        }
    }
}
