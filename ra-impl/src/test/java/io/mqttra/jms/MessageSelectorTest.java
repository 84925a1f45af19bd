package io.mqttra.jms;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.broker.PublishedMessage;
import io.mqttra.broker.PublishedMessage.Mqtt5Properties;
import jakarta.jms.InvalidSelectorException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Message selectors over the mapped properties (JMS 3.1 section 3.8.1). */
class MessageSelectorTest {

    private static final PublishedMessage READING = new PublishedMessage("sensors/hall/temperature",
            "21.5".getBytes(StandardCharsets.UTF_8), 1, false, "thermo-9", "alice", 1_000L,
            new Mqtt5Properties(null, null, "text/plain", null, "c-1".getBytes(StandardCharsets.UTF_8),
                    List.of(Map.entry("unit", "C"), Map.entry("floor", "2"))));

    private static boolean matches(String selector, int qos) throws Exception {
        return MessageSelector.parse(selector).matches(READING, qos, false);
    }

    @Test
    void stringPropertiesFromUserProperties() throws Exception {
        assertTrue(matches("unit = 'C'", 1));
        assertFalse(matches("unit = 'F'", 1));
        assertTrue(matches("unit IN ('C', 'K')", 1));
        assertTrue(matches("floor LIKE '2%'", 1));
    }

    @Test
    void mqttPropertiesAndHeaders() throws Exception {
        assertTrue(matches("JMS_MQTT_QoS > 0 AND JMS_MQTT_ClientId = 'thermo-9'", 1));
        assertFalse(matches("JMS_MQTT_QoS > 0", 0));
        assertTrue(matches("JMSDeliveryMode = 'PERSISTENT'", 1));
        assertTrue(matches("JMSDeliveryMode = 'NON_PERSISTENT'", 0));
        assertTrue(matches("JMSXUserID = 'alice' AND JMS_MQTT_ContentType = 'text/plain'", 1));
        assertTrue(matches("JMSCorrelationID = 'c-1' AND JMS_MQTT_Retain = FALSE", 1));
    }

    @Test
    void missingPropertiesAreUnknownNotErrors() throws Exception {
        assertFalse(matches("site = 'A'", 1));
        assertTrue(matches("site IS NULL", 1));
    }

    @Test
    void invalidSelectorsAreRefusedWithTheParserMessage() {
        InvalidSelectorException e = assertThrows(InvalidSelectorException.class, () -> MessageSelector.parse("unit = "));
        assertTrue(e.getMessage().startsWith("'unit = ' is not a valid message selector"), e.getMessage());
    }
}
