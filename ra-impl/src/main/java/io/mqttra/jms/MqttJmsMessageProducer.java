package io.mqttra.jms;

import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;

/**
 * Sends JMS messages as MQTT publications. Sending is synchronous: when {@code send} returns, the
 * message is published (or, inside a transaction, held for the commit). Delivery delay is not
 * offered; priority is kept in the JMS header only (MQTT has none).
 */
final class MqttJmsMessageProducer implements TopicPublisher {

    private final MqttJmsSession session;
    private final Destination destination;
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private int priority = Message.DEFAULT_PRIORITY;
    private long timeToLive;
    private boolean disableMessageId;
    private boolean disableMessageTimestamp;
    private boolean closed;

    MqttJmsMessageProducer(MqttJmsSession session, Destination destination) {
        this.session = session;
        this.destination = destination;
    }

    private void checkOpen() throws JMSException {
        if (closed) {
            throw new IllegalStateException("The producer is closed");
        }
        session.checkOpen();
    }

    /** Sets the send-time headers and publishes. */
    static void send(MqttJmsSession session, Destination destination, Message message, int deliveryMode, int priority,
                     long timeToLive, boolean disableMessageId, boolean disableMessageTimestamp) throws JMSException {
        if (deliveryMode != DeliveryMode.PERSISTENT && deliveryMode != DeliveryMode.NON_PERSISTENT) {
            throw new JMSException("Invalid delivery mode " + deliveryMode);
        }
        if (priority < 0 || priority > 9) {
            throw new JMSException("Priority must be 0 to 9, not " + priority);
        }
        long now = System.currentTimeMillis();
        message.setJMSDestination(destination);
        message.setJMSDeliveryMode(deliveryMode);
        message.setJMSPriority(priority);
        message.setJMSTimestamp(disableMessageTimestamp ? 0 : now);
        message.setJMSExpiration(timeToLive > 0 ? now + timeToLive : 0);
        message.setJMSMessageID(disableMessageId ? null : MessageIds.next());
        session.publish(OutboundMessageMapper.toPublished(message, destination, deliveryMode, timeToLive));
    }

    private Destination required() throws JMSException {
        if (destination == null) {
            throw new UnsupportedOperationException("This producer has no destination: use send(Destination, Message)");
        }
        return destination;
    }

    private Destination given(Destination d) {
        if (destination != null) {
            throw new UnsupportedOperationException("This producer was created with a destination");
        }
        return d;
    }

    @Override
    public void send(Message message) throws JMSException {
        send(message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void send(Message message, int deliveryMode, int priority, long timeToLive) throws JMSException {
        checkOpen();
        send(session, required(), message, deliveryMode, priority, timeToLive, disableMessageId, disableMessageTimestamp);
    }

    @Override
    public void send(Destination destination, Message message) throws JMSException {
        send(destination, message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void send(Destination destination, Message message, int deliveryMode, int priority, long timeToLive)
            throws JMSException {
        checkOpen();
        send(session, given(destination), message, deliveryMode, priority, timeToLive, disableMessageId, disableMessageTimestamp);
    }

    /** JMS 3.1 section 12.2: no asynchronous send in an application server (inside a transaction it could not be true). */
    private static JMSException noAsyncSend() {
        return new JMSException("Asynchronous send (CompletionListener) is not allowed in a Jakarta EE container; "
                + "send() completes before it returns");
    }

    @Override
    public void send(Message message, CompletionListener listener) throws JMSException {
        throw noAsyncSend();
    }

    @Override
    public void send(Message message, int deliveryMode, int priority, long timeToLive, CompletionListener listener)
            throws JMSException {
        throw noAsyncSend();
    }

    @Override
    public void send(Destination destination, Message message, CompletionListener listener) throws JMSException {
        throw noAsyncSend();
    }

    @Override
    public void send(Destination destination, Message message, int deliveryMode, int priority, long timeToLive,
                     CompletionListener listener) throws JMSException {
        throw noAsyncSend();
    }

    @Override
    public Topic getTopic() throws JMSException {
        return (Topic) getDestination();
    }

    @Override
    public void publish(Message message) throws JMSException {
        send(message);
    }

    @Override
    public void publish(Message message, int deliveryMode, int priority, long timeToLive) throws JMSException {
        send(message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void publish(Topic topic, Message message) throws JMSException {
        send(topic, message);
    }

    @Override
    public void publish(Topic topic, Message message, int deliveryMode, int priority, long timeToLive) throws JMSException {
        send(topic, message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void setDisableMessageID(boolean value) {
        disableMessageId = value;
    }

    @Override
    public boolean getDisableMessageID() {
        return disableMessageId;
    }

    @Override
    public void setDisableMessageTimestamp(boolean value) {
        disableMessageTimestamp = value;
    }

    @Override
    public boolean getDisableMessageTimestamp() {
        return disableMessageTimestamp;
    }

    @Override
    public void setDeliveryMode(int deliveryMode) throws JMSException {
        if (deliveryMode != DeliveryMode.PERSISTENT && deliveryMode != DeliveryMode.NON_PERSISTENT) {
            throw new JMSException("Invalid delivery mode " + deliveryMode);
        }
        this.deliveryMode = deliveryMode;
    }

    @Override
    public int getDeliveryMode() {
        return deliveryMode;
    }

    @Override
    public void setPriority(int priority) throws JMSException {
        if (priority < 0 || priority > 9) {
            throw new JMSException("Priority must be 0 to 9, not " + priority);
        }
        this.priority = priority;
    }

    @Override
    public int getPriority() {
        return priority;
    }

    @Override
    public void setTimeToLive(long timeToLive) {
        this.timeToLive = timeToLive;
    }

    @Override
    public long getTimeToLive() {
        return timeToLive;
    }

    @Override
    public void setDeliveryDelay(long deliveryDelay) throws JMSException {
        if (deliveryDelay != 0) {
            throw new JMSException("MQTT has no delivery delay; only 0 is accepted");
        }
    }

    @Override
    public long getDeliveryDelay() {
        return 0;
    }

    @Override
    public Destination getDestination() throws JMSException {
        checkOpen();
        return destination;
    }

    @Override
    public void close() {
        closed = true;
    }
}
