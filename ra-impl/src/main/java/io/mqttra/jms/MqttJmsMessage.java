package io.mqttra.jms;

import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;

/**
 * A JMS message carrying an MQTT application message; also the body-less {@link Message}. Subclasses
 * add the text and bytes bodies. Messages handed to a bean are read-only until
 * {@link #clearProperties()} / {@link #clearBody()}, as the JMS specification requires of received
 * messages.
 */
public class MqttJmsMessage implements Message {

    private final MessageProperties properties = new MessageProperties();
    private String messageId;
    private long timestamp;
    private byte[] correlationId;
    private boolean correlationIdIsText;
    private Destination replyTo;
    private Destination destination;
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private boolean redelivered;
    private String type;
    private long expiration;
    private long deliveryTime;
    private int priority = Message.DEFAULT_PRIORITY;
    private boolean propertiesReadOnly;
    protected boolean bodyReadOnly;

    /** Makes properties and body read-only, as for a message received by a consumer. */
    void markReceived() {
        propertiesReadOnly = true;
        bodyReadOnly = true;
    }

    /** Sets a provider property ({@code JMS_MQTT_*}, {@code JMSX*}) while the message is being built. */
    void setProviderProperty(String name, Object value) {
        properties.setProviderProperty(name, value);
    }

    @Override
    public String getJMSMessageID() {
        return messageId;
    }

    @Override
    public void setJMSMessageID(String id) {
        messageId = id;
    }

    @Override
    public long getJMSTimestamp() {
        return timestamp;
    }

    @Override
    public void setJMSTimestamp(long timestamp) {
        this.timestamp = timestamp;
    }

    @Override
    public byte[] getJMSCorrelationIDAsBytes() {
        return correlationId == null ? null : correlationId.clone();
    }

    @Override
    public void setJMSCorrelationIDAsBytes(byte[] correlationID) {
        correlationId = correlationID == null ? null : correlationID.clone();
        correlationIdIsText = false;
    }

    @Override
    public void setJMSCorrelationID(String correlationID) {
        correlationId = correlationID == null ? null : correlationID.getBytes(StandardCharsets.UTF_8);
        correlationIdIsText = true;
    }

    /** MQTT correlation data is binary; as a string it reads as UTF-8. */
    @Override
    public String getJMSCorrelationID() {
        return correlationId == null ? null : new String(correlationId, StandardCharsets.UTF_8);
    }

    boolean isCorrelationIdText() {
        return correlationIdIsText;
    }

    @Override
    public Destination getJMSReplyTo() {
        return replyTo;
    }

    @Override
    public void setJMSReplyTo(Destination replyTo) {
        this.replyTo = replyTo;
    }

    @Override
    public Destination getJMSDestination() {
        return destination;
    }

    @Override
    public void setJMSDestination(Destination destination) {
        this.destination = destination;
    }

    @Override
    public int getJMSDeliveryMode() {
        return deliveryMode;
    }

    @Override
    public void setJMSDeliveryMode(int deliveryMode) {
        this.deliveryMode = deliveryMode;
    }

    @Override
    public boolean getJMSRedelivered() {
        return redelivered;
    }

    @Override
    public void setJMSRedelivered(boolean redelivered) {
        this.redelivered = redelivered;
    }

    @Override
    public String getJMSType() {
        return type;
    }

    @Override
    public void setJMSType(String type) {
        this.type = type;
    }

    @Override
    public long getJMSExpiration() {
        return expiration;
    }

    @Override
    public void setJMSExpiration(long expiration) {
        this.expiration = expiration;
    }

    @Override
    public long getJMSDeliveryTime() {
        return deliveryTime;
    }

    @Override
    public void setJMSDeliveryTime(long deliveryTime) {
        this.deliveryTime = deliveryTime;
    }

    @Override
    public int getJMSPriority() {
        return priority;
    }

    @Override
    public void setJMSPriority(int priority) {
        this.priority = priority;
    }

    @Override
    public void clearProperties() {
        properties.clear();
        propertiesReadOnly = false;
    }

    @Override
    public boolean propertyExists(String name) {
        return properties.exists(name);
    }

    @Override
    public boolean getBooleanProperty(String name) throws JMSException {
        return properties.getBoolean(name);
    }

    @Override
    public byte getByteProperty(String name) throws JMSException {
        return properties.getByte(name);
    }

    @Override
    public short getShortProperty(String name) throws JMSException {
        return properties.getShort(name);
    }

    @Override
    public int getIntProperty(String name) throws JMSException {
        return properties.getInt(name);
    }

    @Override
    public long getLongProperty(String name) throws JMSException {
        return properties.getLong(name);
    }

    @Override
    public float getFloatProperty(String name) throws JMSException {
        return properties.getFloat(name);
    }

    @Override
    public double getDoubleProperty(String name) throws JMSException {
        return properties.getDouble(name);
    }

    @Override
    public String getStringProperty(String name) {
        return properties.getString(name);
    }

    @Override
    public Object getObjectProperty(String name) {
        return properties.get(name);
    }

    @Override
    public Enumeration<String> getPropertyNames() {
        return properties.names();
    }

    @Override
    public void setBooleanProperty(String name, boolean value) throws JMSException {
        setProperty(name, value);
    }

    @Override
    public void setByteProperty(String name, byte value) throws JMSException {
        setProperty(name, value);
    }

    @Override
    public void setShortProperty(String name, short value) throws JMSException {
        setProperty(name, value);
    }

    @Override
    public void setIntProperty(String name, int value) throws JMSException {
        setProperty(name, value);
    }

    @Override
    public void setLongProperty(String name, long value) throws JMSException {
        setProperty(name, value);
    }

    @Override
    public void setFloatProperty(String name, float value) throws JMSException {
        setProperty(name, value);
    }

    @Override
    public void setDoubleProperty(String name, double value) throws JMSException {
        setProperty(name, value);
    }

    @Override
    public void setStringProperty(String name, String value) throws JMSException {
        setProperty(name, value);
    }

    @Override
    public void setObjectProperty(String name, Object value) throws JMSException {
        setProperty(name, value);
    }

    private void setProperty(String name, Object value) throws JMSException {
        if (propertiesReadOnly) {
            throw new MessageNotWriteableException("The properties of a received message are read-only; call clearProperties() first");
        }
        properties.set(name, value);
    }

    /** Acknowledgement is the adapter's business: it settles a message when the bean's delivery completes. */
    @Override
    public void acknowledge() {
    }

    @Override
    public void clearBody() throws JMSException {
        bodyReadOnly = false;
    }

    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        if (c.isAssignableFrom(Void.class) || c == Object.class) {
            return null;
        }
        throw new MessageFormatException("A message without a body cannot be read as " + c.getName());
    }

    @Override
    public boolean isBodyAssignableTo(@SuppressWarnings("rawtypes") Class c) {
        return true;
    }

    protected void checkWritable() throws MessageNotWriteableException {
        if (bodyReadOnly) {
            throw new MessageNotWriteableException("The body of a received message is read-only; call clearBody() first");
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[destination=" + destination + ", id=" + messageId
                + ", deliveryMode=" + deliveryMode + "]";
    }
}
