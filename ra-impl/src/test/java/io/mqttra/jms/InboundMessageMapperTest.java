package io.mqttra.jms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.api.MqttJmsProperties;
import io.mqttra.broker.PublishedMessage;
import io.mqttra.broker.PublishedMessage.Mqtt5Properties;
import io.mqttra.jms.InboundMessageMapper.BodyType;
import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MQTT to JMS mapping table of the design, row by row. */
class InboundMessageMapperTest {

    private static PublishedMessage message(int qos, Mqtt5Properties props) {
        return new PublishedMessage("sensors/room1/temperature", "21.5".getBytes(StandardCharsets.UTF_8), qos, false,
                "thermo-1", "alice", 1_700_000_000_000L, props);
    }

    @Test
    void payloadBecomesABytesMessageBody() throws Exception {
        Message m = InboundMessageMapper.toJms(message(1, Mqtt5Properties.NONE), 1, false, 1, BodyType.AUTO);
        BytesMessage bytes = assertInstanceOf(BytesMessage.class, m);
        assertEquals(4, bytes.getBodyLength());
        byte[] body = new byte[4];
        assertEquals(4, bytes.readBytes(body));
        assertArrayEquals("21.5".getBytes(StandardCharsets.UTF_8), body);
        assertArrayEquals("21.5".getBytes(StandardCharsets.UTF_8), m.getBody(byte[].class));
    }

    @Test
    void payloadFormatIndicatorUtf8GivesATextMessage() throws Exception {
        Mqtt5Properties utf8 = new Mqtt5Properties(true, null, null, null, null, List.of());
        Message m = InboundMessageMapper.toJms(message(1, utf8), 1, false, 1, BodyType.AUTO);
        assertEquals("21.5", assertInstanceOf(TextMessage.class, m).getText());
    }

    @Test
    void bodyTypeTextForcesATextMessage() throws Exception {
        Message m = InboundMessageMapper.toJms(message(1, Mqtt5Properties.NONE), 1, false, 1, BodyType.TEXT);
        assertEquals("21.5", ((TextMessage) m).getText());
    }

    @Test
    void topicQosAndPublisherMapToHeadersAndProperties() throws Exception {
        Message m = InboundMessageMapper.toJms(message(2, Mqtt5Properties.NONE), 1, false, 1, BodyType.AUTO);
        assertEquals("sensors/room1/temperature", ((Topic) m.getJMSDestination()).getTopicName());
        assertEquals(DeliveryMode.PERSISTENT, m.getJMSDeliveryMode());
        assertEquals(1, m.getIntProperty(MqttJmsProperties.QOS), "the delivered QoS");
        assertFalse(m.getBooleanProperty(MqttJmsProperties.RETAIN));
        assertEquals("thermo-1", m.getStringProperty(MqttJmsProperties.CLIENT_ID));
        assertEquals("alice", m.getStringProperty("JMSXUserID"));
        assertEquals("alice", m.getStringProperty("JMS_MQTT_UserName"), "the same authenticated name");
        assertEquals(1_700_000_000_000L, m.getJMSTimestamp());
        assertFalse(m.getJMSRedelivered());
        assertEquals(1, m.getIntProperty("JMSXDeliveryCount"));
        assertTrue(m.getJMSMessageID().startsWith("ID:"));
    }

    @Test
    void everyMappedMessageHasItsOwnMessageId() throws Exception {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = InboundMessageMapper.toJms(message(1, Mqtt5Properties.NONE), 1, false, 1, BodyType.AUTO).getJMSMessageID();
            assertTrue(id.startsWith("ID:"), id);
            ids.add(id);
        }
        assertEquals(1000, ids.size(), "JMS requires JMSMessageID to be unique");
    }

    @Test
    void qos0IsNonPersistent() throws Exception {
        Message m = InboundMessageMapper.toJms(message(0, Mqtt5Properties.NONE), 0, false, 1, BodyType.AUTO);
        assertEquals(DeliveryMode.NON_PERSISTENT, m.getJMSDeliveryMode());
        assertEquals(0, m.getIntProperty(MqttJmsProperties.QOS));
    }

    @Test
    void redeliveryIsFlagged() throws Exception {
        Message m = InboundMessageMapper.toJms(message(1, Mqtt5Properties.NONE), 1, true, 3, BodyType.AUTO);
        assertTrue(m.getJMSRedelivered());
        assertEquals(3, m.getIntProperty("JMSXDeliveryCount"));
        assertTrue(m.getBooleanProperty(MqttJmsProperties.RETAIN));
    }

    @Test
    void mqtt5PropertiesMapToTheirJmsCounterparts() throws Exception {
        Mqtt5Properties p = new Mqtt5Properties(null, 60L, "application/json", "replies/thermo-1",
                "c-1".getBytes(StandardCharsets.UTF_8),
                List.of(Map.entry("unit", "C"), Map.entry("site", "A\"1"), Map.entry("unit", "F"), Map.entry("bad-name", "x")));
        Message m = InboundMessageMapper.toJms(message(1, p), 1, false, 1, BodyType.AUTO);
        assertEquals("replies/thermo-1", ((Topic) m.getJMSReplyTo()).getTopicName());
        assertEquals("c-1", m.getJMSCorrelationID());
        assertArrayEquals("c-1".getBytes(StandardCharsets.UTF_8), m.getJMSCorrelationIDAsBytes());
        assertEquals(1_700_000_060_000L, m.getJMSExpiration());
        assertEquals("application/json", m.getStringProperty(MqttJmsProperties.CONTENT_TYPE));
        assertEquals("F", m.getStringProperty("unit"), "repeated keys: the last wins");
        assertFalse(m.propertyExists("bad-name"), "not a legal JMS property name");
        assertEquals("[[\"unit\",\"C\"],[\"site\",\"A\\\"1\"],[\"unit\",\"F\"],[\"bad-name\",\"x\"]]",
                m.getStringProperty(MqttJmsProperties.USER_PROPERTIES));
    }

    @Test
    void receivedMessageIsReadOnlyUntilCleared() throws Exception {
        Message m = InboundMessageMapper.toJms(message(1, Mqtt5Properties.NONE), 1, false, 1, BodyType.AUTO);
        assertThrows(MessageNotWriteableException.class, () -> m.setStringProperty("x", "y"));
        assertThrows(MessageNotWriteableException.class, () -> ((BytesMessage) m).writeInt(1));
        m.clearProperties();
        m.setStringProperty("x", "y");
        assertEquals("y", m.getStringProperty("x"));
        assertNull(m.getStringProperty(MqttJmsProperties.CLIENT_ID));
    }

    @Test
    void propertyConversionsFollowTheJmsTable() throws Exception {
        Message m = InboundMessageMapper.toJms(message(1, Mqtt5Properties.NONE), 1, false, 1, BodyType.AUTO);
        assertEquals(1L, m.getLongProperty(MqttJmsProperties.QOS), "int reads as long");
        assertEquals("1", m.getStringProperty(MqttJmsProperties.QOS), "int reads as String");
        assertThrows(jakarta.jms.MessageFormatException.class, () -> m.getShortProperty(MqttJmsProperties.QOS),
                "int does not narrow to short");
        assertThrows(NumberFormatException.class, () -> m.getIntProperty("absent"));
        assertFalse(m.getBooleanProperty("absent"));
    }
}
