package io.mqttra.it.app;

import io.mqttra.api.MqttJmsProperties;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.charset.StandardCharsets;

/** A snapshot of the JMS message an MDB received, taken inside onMessage. */
public record ReceivedMessage(String topic, byte[] payload, String bodyType, int qos, String clientId,
                              int deliveryMode, boolean retain) {

    public static ReceivedMessage of(Message m) throws JMSException {
        byte[] payload;
        String bodyType;
        if (m instanceof BytesMessage bytes) {
            payload = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(payload);
            bodyType = "BytesMessage";
        } else if (m instanceof TextMessage text) {
            payload = text.getText().getBytes(StandardCharsets.UTF_8);
            bodyType = "TextMessage";
        } else {
            payload = new byte[0];
            bodyType = "Message";
        }
        return new ReceivedMessage(((Topic) m.getJMSDestination()).getTopicName(), payload, bodyType,
                m.getIntProperty(MqttJmsProperties.QOS), m.getStringProperty(MqttJmsProperties.CLIENT_ID),
                m.getJMSDeliveryMode(), m.getBooleanProperty(MqttJmsProperties.RETAIN));
    }

    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
