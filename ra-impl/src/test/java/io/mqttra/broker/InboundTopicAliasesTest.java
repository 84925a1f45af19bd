package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mqttra.broker.Packets.ReasonCode;
import org.junit.jupiter.api.Test;

/** Topic aliases from an MQTT 5 client, resolved without a network (MQTT 5.0 sections 3.3.2.3.4 and 3.3.4). */
class InboundTopicAliasesTest {

    private final InboundTopicAliases aliases = new InboundTopicAliases(10);

    @Test
    void topicNameWithAnAliasSetsItAndAnEmptyNameUsesIt_MQTT_3_3_2_12() throws Exception {
        assertEquals("sensors/1/temp", aliases.resolve("sensors/1/temp", 1));
        assertEquals("sensors/1/temp", aliases.resolve("", 1));
        assertEquals("sensors/1/temp", aliases.resolve("", 1));
    }

    @Test
    void aNewTopicNameReplacesTheMapping_section_3_3_4() throws Exception {
        aliases.resolve("a", 2);
        assertEquals("b", aliases.resolve("b", 2));
        assertEquals("b", aliases.resolve("", 2));
    }

    @Test
    void aliasesAreIndependentOfEachOther() throws Exception {
        aliases.resolve("a", 1);
        aliases.resolve("b", 10);
        assertEquals("a", aliases.resolve("", 1));
        assertEquals("b", aliases.resolve("", 10));
    }

    @Test
    void aliasNeverSetIsAProtocolError_section_3_3_4() {
        ProtocolViolation v = assertThrows(ProtocolViolation.class, () -> aliases.resolve("", 3));
        assertEquals(ReasonCode.PROTOCOL_ERROR, v.reason());
        assertEquals("topic alias 3 was never set", v.getMessage());
    }

    @Test
    void aliasesStartEmptyOnEveryConnection_MQTT_3_3_2_7() throws Exception {
        aliases.resolve("a", 1);
        InboundTopicAliases nextConnection = new InboundTopicAliases(10);
        assertEquals(ReasonCode.PROTOCOL_ERROR,
                assertThrows(ProtocolViolation.class, () -> nextConnection.resolve("", 1)).reason());
    }

    @Test
    void aliasZeroIsInvalid_MQTT_3_3_2_8() {
        ProtocolViolation v = assertThrows(ProtocolViolation.class, () -> aliases.resolve("a", 0));
        assertEquals(ReasonCode.TOPIC_ALIAS_INVALID, v.reason());
        assertEquals("topic alias 0 outside 1..10", v.getMessage());
    }

    @Test
    void aliasAboveTheMaximumIsInvalid_MQTT_3_3_2_9() {
        assertEquals(ReasonCode.TOPIC_ALIAS_INVALID,
                assertThrows(ProtocolViolation.class, () -> aliases.resolve("a", 11)).reason());
        assertEquals(ReasonCode.TOPIC_ALIAS_INVALID,
                assertThrows(ProtocolViolation.class, () -> aliases.resolve("", 11)).reason());
    }

    @Test
    void maximumOf0AcceptsNoAlias() {
        InboundTopicAliases none = new InboundTopicAliases(0);
        assertEquals(ReasonCode.TOPIC_ALIAS_INVALID,
                assertThrows(ProtocolViolation.class, () -> none.resolve("a", 1)).reason());
    }
}
