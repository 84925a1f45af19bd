package io.mqttra.jms;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.TextMessage;

/** A {@link TextMessage}: an MQTT payload that is UTF-8 text. */
public final class MqttJmsTextMessage extends MqttJmsMessage implements TextMessage {

    private String text;

    @Override
    public void setText(String text) throws JMSException {
        checkWritable();
        this.text = text;
    }

    /** Sets the body of a message being built by the adapter, before it is marked read-only. */
    void setTextUnchecked(String text) {
        this.text = text;
    }

    @Override
    public String getText() {
        return text;
    }

    @Override
    public void clearBody() throws JMSException {
        super.clearBody();
        text = null;
    }

    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        if (text == null) {
            return null;
        }
        if (!c.isAssignableFrom(String.class)) {
            throw new MessageFormatException("A TextMessage body cannot be read as " + c.getName());
        }
        return c.cast(text);
    }

    @Override
    public boolean isBodyAssignableTo(@SuppressWarnings("rawtypes") Class c) {
        return text == null || c.isAssignableFrom(String.class);
    }
}
