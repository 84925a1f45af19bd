package io.mqttra.jms;

import io.mqttra.api.MqttTopics;
import io.mqttra.broker.PublishRefusedException;
import io.mqttra.broker.PublishedMessage;
import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;
import jakarta.jms.TopicSession;
import jakarta.jms.TopicSubscriber;
import java.io.Serializable;

/**
 * A JMS session that sends to MQTT topics. It is the connection handle the resource adapter gives
 * out: each one belongs to a pooled connection, which enlists in the caller's JTA transaction, so a
 * send inside a transaction is published when it commits. Sessions themselves are not transacted.
 */
public class MqttJmsSession implements Session, TopicSession {

    /** The pooled connection behind a session; it changes when the server re-associates the handle. */
    public interface Owner extends MessagePublisher {
        void closed(MqttJmsSession session);
    }

    private volatile Owner owner;
    private volatile boolean closed;

    public MqttJmsSession(Owner owner) {
        this.owner = owner;
    }

    /** JCA re-association: the handle moves to another pooled connection; returns the previous one. */
    public Owner associate(Owner newOwner) {
        Owner previous = owner;
        this.owner = newOwner;
        return previous;
    }

    public boolean isClosed() {
        return closed;
    }

    /** The pooled connection was destroyed under the handle. */
    public void invalidate() {
        closed = true;
    }

    void publish(PublishedMessage message) throws JMSException {
        checkOpen();
        try {
            owner.publish(message);
        } catch (PublishRefusedException e) {
            JMSException refused = e.isTopicProblem() ? new InvalidDestinationException(e.getMessage())
                    : new MessageFormatException(e.getMessage());
            refused.initCause(e);
            throw refused;
        }
    }

    void checkOpen() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("The session is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            owner.closed(this);
        }
    }

    @Override
    public BytesMessage createBytesMessage() throws JMSException {
        checkOpen();
        return new MqttJmsBytesMessage();
    }

    @Override
    public MapMessage createMapMessage() throws JMSException {
        throw new JMSException(Refusals.NON_BYTES_BODY);
    }

    @Override
    public Message createMessage() throws JMSException {
        checkOpen();
        return new MqttJmsMessage();
    }

    @Override
    public ObjectMessage createObjectMessage() throws JMSException {
        throw new JMSException(Refusals.NON_BYTES_BODY);
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) throws JMSException {
        throw new JMSException(Refusals.NON_BYTES_BODY);
    }

    @Override
    public StreamMessage createStreamMessage() throws JMSException {
        throw new JMSException(Refusals.NON_BYTES_BODY);
    }

    @Override
    public TextMessage createTextMessage() throws JMSException {
        checkOpen();
        return new MqttJmsTextMessage();
    }

    @Override
    public TextMessage createTextMessage(String text) throws JMSException {
        TextMessage m = createTextMessage();
        m.setText(text);
        return m;
    }

    @Override
    public boolean getTransacted() throws JMSException {
        checkOpen();
        return false;
    }

    @Override
    public int getAcknowledgeMode() throws JMSException {
        checkOpen();
        return Session.AUTO_ACKNOWLEDGE;
    }

    @Override
    public void commit() throws JMSException {
        throw Refusals.localTransactions();
    }

    @Override
    public void rollback() throws JMSException {
        throw Refusals.localTransactions();
    }

    @Override
    public void recover() throws JMSException {
        checkOpen();
    }

    @Override
    public MessageListener getMessageListener() throws JMSException {
        throw Refusals.consuming();
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        throw Refusals.consuming();
    }

    @Override
    public void run() {
        throw new UnsupportedOperationException(Refusals.CONSUMING);
    }

    @Override
    public MessageProducer createProducer(Destination destination) throws JMSException {
        checkOpen();
        if (destination != null) {
            OutboundMessageMapper.topicName(destination);
        }
        return new MqttJmsMessageProducer(this, destination);
    }

    @Override
    public Topic createTopic(String topicName) throws JMSException {
        checkOpen();
        String problem = MqttTopics.topicNameProblem(topicName);
        if (problem != null) {
            throw new InvalidDestinationException("'" + topicName + "' is not an MQTT topic name: " + problem);
        }
        return new MqttTopic(topicName);
    }

    @Override
    public Queue createQueue(String queueName) throws JMSException {
        throw new JMSException(Refusals.QUEUES);
    }

    @Override
    public TopicPublisher createPublisher(Topic topic) throws JMSException {
        return (TopicPublisher) createProducer(topic);
    }

    // --- consuming is the business of message-driven beans ---

    @Override
    public MessageConsumer createConsumer(Destination destination) throws JMSException {
        throw Refusals.consuming();
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String messageSelector) throws JMSException {
        throw Refusals.consuming();
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal) throws JMSException {
        throw Refusals.consuming();
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) throws JMSException {
        throw Refusals.consuming();
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName, String messageSelector)
            throws JMSException {
        throw Refusals.consuming();
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name) throws JMSException {
        throw Refusals.consuming();
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name, String messageSelector, boolean noLocal)
            throws JMSException {
        throw Refusals.consuming();
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name) throws JMSException {
        throw Refusals.consuming();
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name, String messageSelector, boolean noLocal)
            throws JMSException {
        throw Refusals.consuming();
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name) throws JMSException {
        throw Refusals.consuming();
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector) throws JMSException {
        throw Refusals.consuming();
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic) throws JMSException {
        throw Refusals.consuming();
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic, String messageSelector, boolean noLocal) throws JMSException {
        throw Refusals.consuming();
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) throws JMSException {
        throw new JMSException(Refusals.QUEUES);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String messageSelector) throws JMSException {
        throw new JMSException(Refusals.QUEUES);
    }

    @Override
    public TemporaryQueue createTemporaryQueue() throws JMSException {
        throw new JMSException(Refusals.QUEUES);
    }

    /** A temporary topic is only useful for receiving replies, which this API does not do. */
    @Override
    public TemporaryTopic createTemporaryTopic() throws JMSException {
        throw Refusals.consuming();
    }

    @Override
    public void unsubscribe(String name) throws JMSException {
        throw Refusals.consuming();
    }
}
