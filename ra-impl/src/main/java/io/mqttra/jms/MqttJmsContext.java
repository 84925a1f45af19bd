package io.mqttra.jms;

import static io.mqttra.jms.RuntimeExceptions.unchecked;

import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.io.Serializable;

/** The simplified API over one session handle of the resource adapter's pool. */
public final class MqttJmsContext implements JMSContext {

    private final MqttJmsConnection.SessionSource source;
    private final MqttJmsSession session;
    private ExceptionListener exceptionListener;

    public MqttJmsContext(MqttJmsConnection.SessionSource source) {
        this.source = source;
        this.session = unchecked(source::openSession);
    }

    private static JMSRuntimeException consuming() {
        return new JMSRuntimeException(Refusals.CONSUMING);
    }

    @Override
    public JMSContext createContext(int sessionMode) {
        return new MqttJmsContext(source);
    }

    @Override
    public JMSProducer createProducer() {
        unchecked(() -> {
            session.checkOpen();
            return null;
        });
        return new MqttJmsProducer(session);
    }

    @Override
    public String getClientID() {
        return null;
    }

    @Override
    public void setClientID(String clientID) {
        throw new IllegalStateRuntimeException(Refusals.CLIENT_ID);
    }

    @Override
    public ConnectionMetaData getMetaData() {
        return MqttJmsConnection.MqttConnectionMetaData.INSTANCE;
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

    @Override
    public void setAutoStart(boolean autoStart) {
    }

    @Override
    public boolean getAutoStart() {
        return true;
    }

    @Override
    public void close() {
        session.close();
    }

    @Override
    public BytesMessage createBytesMessage() {
        return unchecked(session::createBytesMessage);
    }

    @Override
    public MapMessage createMapMessage() {
        return unchecked(session::createMapMessage);
    }

    @Override
    public Message createMessage() {
        return unchecked(session::createMessage);
    }

    @Override
    public ObjectMessage createObjectMessage() {
        return unchecked(session::createObjectMessage);
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) {
        return unchecked(() -> session.createObjectMessage(object));
    }

    @Override
    public StreamMessage createStreamMessage() {
        return unchecked(session::createStreamMessage);
    }

    @Override
    public TextMessage createTextMessage() {
        return unchecked(session::createTextMessage);
    }

    @Override
    public TextMessage createTextMessage(String text) {
        return unchecked(() -> session.createTextMessage(text));
    }

    @Override
    public boolean getTransacted() {
        return false;
    }

    @Override
    public int getSessionMode() {
        return JMSContext.AUTO_ACKNOWLEDGE;
    }

    @Override
    public void commit() {
        throw new IllegalStateRuntimeException(Refusals.LOCAL_TRANSACTIONS);
    }

    @Override
    public void rollback() {
        throw new IllegalStateRuntimeException(Refusals.LOCAL_TRANSACTIONS);
    }

    @Override
    public void recover() {
    }

    @Override
    public Topic createTopic(String topicName) {
        return unchecked(() -> session.createTopic(topicName));
    }

    @Override
    public Queue createQueue(String queueName) {
        throw new JMSRuntimeException(Refusals.QUEUES);
    }

    @Override
    public JMSConsumer createConsumer(Destination destination) {
        throw consuming();
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String messageSelector) {
        throw consuming();
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal) {
        throw consuming();
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) {
        throw consuming();
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName, String messageSelector) {
        throw consuming();
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name) {
        throw consuming();
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name, String messageSelector, boolean noLocal) {
        throw consuming();
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name) {
        throw consuming();
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector) {
        throw consuming();
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) {
        throw new JMSRuntimeException(Refusals.QUEUES);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String messageSelector) {
        throw new JMSRuntimeException(Refusals.QUEUES);
    }

    @Override
    public TemporaryQueue createTemporaryQueue() {
        throw new JMSRuntimeException(Refusals.QUEUES);
    }

    @Override
    public TemporaryTopic createTemporaryTopic() {
        throw consuming();
    }

    @Override
    public void unsubscribe(String name) {
        throw consuming();
    }

    @Override
    public void acknowledge() {
    }
}
