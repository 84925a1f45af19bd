package io.mqttra.jms;

import io.mqttra.api.MqttJmsProperties;
import io.mqttra.api.MqttTopics;
import io.mqttra.broker.PublishedMessage;
import io.mqttra.broker.PublishedMessage.Mqtt5Properties;
import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Turns a JMS message sent by an application into an MQTT publication: the reverse of
 * {@link InboundMessageMapper}. Text is UTF-8 with payload format indicator 1, bytes stay bytes;
 * QoS is {@code JMS_MQTT_QoS} or follows the delivery mode; the application's own properties become
 * MQTT 5 user properties.
 */
public final class OutboundMessageMapper {

    private OutboundMessageMapper() {
    }

    /** The MQTT topic a JMS destination names; only topics, and only valid topic names. */
    public static String topicName(Destination destination) throws JMSException {
        if (!(destination instanceof Topic topic)) {
            throw new InvalidDestinationException("MQTT has topics only; cannot send to "
                    + (destination == null ? "a null destination" : destination.getClass().getName()));
        }
        String name = topic.getTopicName();
        String problem = MqttTopics.topicNameProblem(name);
        if (problem != null) {
            throw new InvalidDestinationException("'" + name + "' is not an MQTT topic name: " + problem);
        }
        return name;
    }

    /**
     * @param timeToLive milliseconds, 0 for unlimited: becomes the MQTT 5 message expiry interval
     */
    public static PublishedMessage toPublished(Message message, Destination destination, int deliveryMode,
                                               long timeToLive) throws JMSException {
        String topic = topicName(destination);
        byte[] payload;
        Boolean utf8 = null;
        if (message instanceof TextMessage text) {
            String body = text.getText();
            payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            utf8 = true;
        } else if (message instanceof BytesMessage bytes) {
            payload = bytesOf(bytes);
        } else if (message instanceof MapMessage || message instanceof ObjectMessage || message instanceof StreamMessage) {
            throw new MessageFormatException(kind(message) + " cannot be sent over MQTT: use a TextMessage or a BytesMessage");
        } else {
            payload = new byte[0];
        }
        int qos = deliveryMode == DeliveryMode.NON_PERSISTENT ? 0 : 1;
        if (message.propertyExists(MqttJmsProperties.QOS)) {
            qos = message.getIntProperty(MqttJmsProperties.QOS);
            if (qos < 0 || qos > 2) {
                throw new MessageFormatException(MqttJmsProperties.QOS + " must be 0, 1 or 2, not " + qos);
            }
        }
        boolean retain = message.propertyExists(MqttJmsProperties.RETAIN) && message.getBooleanProperty(MqttJmsProperties.RETAIN);

        String responseTopic = null;
        if (message.getJMSReplyTo() != null) {
            responseTopic = topicName(message.getJMSReplyTo());
        }
        byte[] correlation = correlationData(message);
        Long expiry = timeToLive > 0 ? Math.max(1, (timeToLive + 999) / 1000) : null;
        String contentType = message.getStringProperty(MqttJmsProperties.CONTENT_TYPE);
        List<Map.Entry<String, String>> user = new ArrayList<>();
        for (Object key : Collections.list(message.getPropertyNames())) {
            String name = (String) key;
            if (!name.startsWith("JMS")) {
                Object value = message.getObjectProperty(name);
                user.add(Map.entry(name, String.valueOf(value)));
            }
        }
        return new PublishedMessage(topic, payload, qos, retain, null, null, System.currentTimeMillis(),
                new Mqtt5Properties(utf8, expiry, contentType, responseTopic, correlation, user));
    }

    private static String kind(Message message) {
        if (message instanceof MapMessage) {
            return "A MapMessage";
        }
        if (message instanceof ObjectMessage) {
            return "An ObjectMessage";
        }
        return "A StreamMessage";
    }

    private static byte[] correlationData(Message message) throws JMSException {
        if (message instanceof MqttJmsMessage own && !own.isCorrelationIdText()) {
            return own.getJMSCorrelationIDAsBytes();
        }
        String id = message.getJMSCorrelationID();
        return id == null ? null : id.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytesOf(BytesMessage bytes) throws JMSException {
        if (bytes instanceof MqttJmsBytesMessage own) {
            return own.bodyBytes();
        }
        bytes.reset(); // another provider's message: read it from the start
        byte[] body = new byte[(int) bytes.getBodyLength()];
        bytes.readBytes(body);
        return body;
    }
}
