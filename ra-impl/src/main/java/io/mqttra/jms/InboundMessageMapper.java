package io.mqttra.jms;

import io.mqttra.api.MqttJmsProperties;
import io.mqttra.broker.PublishedMessage;
import io.mqttra.broker.PublishedMessage.Mqtt5Properties;
import jakarta.jms.DeliveryMode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns an MQTT application message into the JMS message a bean receives, following the mapping
 * table of the design: payload to body, topic to {@code JMSDestination}, QoS to delivery mode and
 * {@code JMS_MQTT_QoS}, publisher to {@code JMS_MQTT_ClientId}/{@code JMSXUserID}, MQTT 5 properties
 * to their JMS counterparts.
 */
public final class InboundMessageMapper {

    /** Which JMS body type an activation receives. */
    public enum BodyType {
        /** {@code TextMessage} when the MQTT 5 payload format indicator says UTF-8, else {@code BytesMessage}. */
        AUTO,
        /** Always {@code TextMessage}, decoding the payload as UTF-8. */
        TEXT,
        /** Always {@code BytesMessage}. */
        BYTES
    }

    private InboundMessageMapper() {
    }

    /**
     * @param message the message as published
     * @param qos the QoS it is delivered with (min of publication and subscription QoS)
     * @param fromRetainedStore whether it comes from the retained store
     * @param deliveryCount 1 for the first attempt, more for redeliveries
     */
    public static MqttJmsMessage toJms(PublishedMessage message, int qos, boolean fromRetainedStore,
                                       int deliveryCount, BodyType bodyType) {
        return toJms(message, qos, fromRetainedStore, deliveryCount, bodyType, null);
    }

    /**
     * The same, with the message's id: every attempt at one message carries the same {@code JMSMessageID},
     * so a bean can recognise a redelivery it has already processed (null: a new id).
     */
    public static MqttJmsMessage toJms(PublishedMessage message, int qos, boolean fromRetainedStore,
                                       int deliveryCount, BodyType bodyType, String messageId) {
        Mqtt5Properties p = message.properties();
        boolean text = bodyType == BodyType.TEXT
                || (bodyType == BodyType.AUTO && Boolean.TRUE.equals(p.payloadFormatUtf8()));
        MqttJmsMessage jms;
        if (text) {
            MqttJmsTextMessage t = new MqttJmsTextMessage();
            t.setTextUnchecked(new String(message.payload(), StandardCharsets.UTF_8));
            jms = t;
        } else {
            jms = MqttJmsBytesMessage.readable(message.payload());
        }
        jms.setJMSMessageID(messageId != null ? messageId : MessageIds.next());
        jms.setJMSTimestamp(message.timestamp());
        jms.setJMSDestination(new MqttTopic(message.topic()));
        jms.setJMSDeliveryMode(qos == 0 ? DeliveryMode.NON_PERSISTENT : DeliveryMode.PERSISTENT);
        jms.setJMSRedelivered(deliveryCount > 1);
        properties(message, qos, fromRetainedStore, deliveryCount).forEach(jms::setProviderProperty);
        if (p.responseTopic() != null) {
            jms.setJMSReplyTo(new MqttTopic(p.responseTopic()));
        }
        if (p.correlationData() != null) {
            jms.setJMSCorrelationIDAsBytes(p.correlationData());
        }
        if (p.messageExpirySeconds() != null) {
            jms.setJMSExpiration(message.timestamp() + p.messageExpirySeconds() * 1000);
        }
        jms.markReceived();
        return jms;
    }

    /**
     * The JMS properties of the mapped message: {@code JMS_MQTT_*}, {@code JMSX*} and the user
     * properties. Message selectors are evaluated against the same values.
     */
    public static Map<String, Object> properties(PublishedMessage message, int qos, boolean fromRetainedStore,
                                                 int deliveryCount) {
        Mqtt5Properties p = message.properties();
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(MqttJmsProperties.QOS, qos);
        props.put(MqttJmsProperties.RETAIN, fromRetainedStore);
        props.put(MqttJmsProperties.DELIVERY_COUNT, deliveryCount);
        if (message.publisherClientId() != null) {
            props.put(MqttJmsProperties.CLIENT_ID, message.publisherClientId());
        }
        if (message.publisherUserName() != null) {
            props.put(MqttJmsProperties.USER_ID, message.publisherUserName());
            props.put(MqttJmsProperties.USER_NAME, message.publisherUserName());
        }
        if (p.contentType() != null) {
            props.put(MqttJmsProperties.CONTENT_TYPE, p.contentType());
        }
        if (!p.userProperties().isEmpty()) {
            StringBuilder all = new StringBuilder("[");
            for (Map.Entry<String, String> e : p.userProperties()) {
                if (all.length() > 1) {
                    all.append(',');
                }
                all.append('[');
                appendJsonString(all, e.getKey()).append(',');
                appendJsonString(all, e.getValue()).append(']');
                if (isPlainPropertyName(e.getKey())) {
                    props.put(e.getKey(), e.getValue()); // repeated keys: the last wins
                }
            }
            props.put(MqttJmsProperties.USER_PROPERTIES, all.append(']').toString());
        }
        return props;
    }

    /** User properties become JMS properties when their key is a legal name outside the reserved prefixes. */
    private static boolean isPlainPropertyName(String key) {
        if (key.isEmpty() || key.startsWith("JMS") || !Character.isJavaIdentifierStart(key.charAt(0))) {
            return false;
        }
        return key.chars().allMatch(Character::isJavaIdentifierPart);
    }

    private static StringBuilder appendJsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }
}
