package io.mqttra.jms;

import static io.mqttra.jms.RuntimeExceptions.unchecked;

import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.TextMessage;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** The simplified API's producer: message properties and headers set here go on every message it sends. */
final class MqttJmsProducer implements JMSProducer {

    private final MqttJmsSession session;
    private final MessageProperties properties = new MessageProperties();
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private int priority = Message.DEFAULT_PRIORITY;
    private long timeToLive;
    private boolean disableMessageId;
    private boolean disableMessageTimestamp;
    private byte[] correlationId;
    private boolean correlationIdText;
    private String type;
    private Destination replyTo;

    MqttJmsProducer(MqttJmsSession session) {
        this.session = session;
    }

    @Override
    public JMSProducer send(Destination destination, Message message) {
        unchecked(() -> {
            for (String name : Collections.list(properties.names())) {
                message.setObjectProperty(name, properties.get(name));
            }
            if (correlationId != null) {
                if (correlationIdText) {
                    message.setJMSCorrelationID(new String(correlationId, StandardCharsets.UTF_8));
                } else {
                    message.setJMSCorrelationIDAsBytes(correlationId);
                }
            }
            if (type != null) {
                message.setJMSType(type);
            }
            if (replyTo != null) {
                message.setJMSReplyTo(replyTo);
            }
            MqttJmsMessageProducer.send(session, destination, message, deliveryMode, priority, timeToLive,
                    disableMessageId, disableMessageTimestamp);
            return null;
        });
        return this;
    }

    @Override
    public JMSProducer send(Destination destination, String body) {
        TextMessage m = unchecked(() -> session.createTextMessage(body));
        return send(destination, m);
    }

    @Override
    public JMSProducer send(Destination destination, byte[] body) {
        BytesMessage m = unchecked(() -> {
            BytesMessage b = session.createBytesMessage();
            if (body != null) {
                b.writeBytes(body);
            }
            return b;
        });
        return send(destination, m);
    }

    @Override
    public JMSProducer send(Destination destination, Map<String, Object> body) {
        throw new MessageFormatRuntimeException(Refusals.NON_BYTES_BODY);
    }

    @Override
    public JMSProducer send(Destination destination, Serializable body) {
        throw new MessageFormatRuntimeException(Refusals.NON_BYTES_BODY);
    }

    @Override
    public JMSProducer setDisableMessageID(boolean value) {
        disableMessageId = value;
        return this;
    }

    @Override
    public boolean getDisableMessageID() {
        return disableMessageId;
    }

    @Override
    public JMSProducer setDisableMessageTimestamp(boolean value) {
        disableMessageTimestamp = value;
        return this;
    }

    @Override
    public boolean getDisableMessageTimestamp() {
        return disableMessageTimestamp;
    }

    @Override
    public JMSProducer setDeliveryMode(int deliveryMode) {
        if (deliveryMode != DeliveryMode.PERSISTENT && deliveryMode != DeliveryMode.NON_PERSISTENT) {
            throw new JMSRuntimeException("Invalid delivery mode " + deliveryMode);
        }
        this.deliveryMode = deliveryMode;
        return this;
    }

    @Override
    public int getDeliveryMode() {
        return deliveryMode;
    }

    @Override
    public JMSProducer setPriority(int priority) {
        if (priority < 0 || priority > 9) {
            throw new JMSRuntimeException("Priority must be 0 to 9, not " + priority);
        }
        this.priority = priority;
        return this;
    }

    @Override
    public int getPriority() {
        return priority;
    }

    @Override
    public JMSProducer setTimeToLive(long timeToLive) {
        this.timeToLive = timeToLive;
        return this;
    }

    @Override
    public long getTimeToLive() {
        return timeToLive;
    }

    @Override
    public JMSProducer setDeliveryDelay(long deliveryDelay) {
        if (deliveryDelay != 0) {
            throw new JMSRuntimeException("MQTT has no delivery delay; only 0 is accepted");
        }
        return this;
    }

    @Override
    public long getDeliveryDelay() {
        return 0;
    }

    /** Sends are synchronous; a completion listener is called before {@code send} returns. */
    @Override
    public JMSProducer setAsync(CompletionListener completionListener) {
        if (completionListener != null) {
            throw new JMSRuntimeException("Asynchronous send is not offered: sends complete before they return");
        }
        return this;
    }

    @Override
    public CompletionListener getAsync() {
        return null;
    }

    private JMSProducer set(String name, Object value) {
        unchecked(() -> {
            properties.set(name, value);
            return null;
        });
        return this;
    }

    @Override
    public JMSProducer setProperty(String name, boolean value) {
        return set(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, byte value) {
        return set(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, short value) {
        return set(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, int value) {
        return set(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, long value) {
        return set(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, float value) {
        return set(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, double value) {
        return set(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, String value) {
        return set(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, Object value) {
        return set(name, value);
    }

    @Override
    public JMSProducer clearProperties() {
        properties.clear();
        return this;
    }

    @Override
    public boolean propertyExists(String name) {
        return properties.exists(name);
    }

    @Override
    public boolean getBooleanProperty(String name) {
        return unchecked(() -> properties.getBoolean(name));
    }

    @Override
    public byte getByteProperty(String name) {
        return unchecked(() -> properties.getByte(name));
    }

    @Override
    public short getShortProperty(String name) {
        return unchecked(() -> properties.getShort(name));
    }

    @Override
    public int getIntProperty(String name) {
        return unchecked(() -> properties.getInt(name));
    }

    @Override
    public long getLongProperty(String name) {
        return unchecked(() -> properties.getLong(name));
    }

    @Override
    public float getFloatProperty(String name) {
        return unchecked(() -> properties.getFloat(name));
    }

    @Override
    public double getDoubleProperty(String name) {
        return unchecked(() -> properties.getDouble(name));
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
    public Set<String> getPropertyNames() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(Collections.list(properties.names())));
    }

    @Override
    public JMSProducer setJMSCorrelationIDAsBytes(byte[] correlationID) {
        correlationId = correlationID == null ? null : correlationID.clone();
        correlationIdText = false;
        return this;
    }

    @Override
    public byte[] getJMSCorrelationIDAsBytes() {
        return correlationId == null ? null : correlationId.clone();
    }

    @Override
    public JMSProducer setJMSCorrelationID(String correlationID) {
        correlationId = correlationID == null ? null : correlationID.getBytes(StandardCharsets.UTF_8);
        correlationIdText = true;
        return this;
    }

    @Override
    public String getJMSCorrelationID() {
        return correlationId == null ? null : new String(correlationId, StandardCharsets.UTF_8);
    }

    @Override
    public JMSProducer setJMSType(String type) {
        this.type = type;
        return this;
    }

    @Override
    public String getJMSType() {
        return type;
    }

    @Override
    public JMSProducer setJMSReplyTo(Destination replyTo) {
        this.replyTo = replyTo;
        return this;
    }

    @Override
    public Destination getJMSReplyTo() {
        return replyTo;
    }
}
