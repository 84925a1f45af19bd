package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.broker.PublishedMessage.Mqtt5Properties;
import org.junit.jupiter.api.Test;

/** What the server's applications publish is held to the rules a client's PUBLISH is held to. */
class ServerPublishTest {

    private final MqttBroker broker = new MqttBroker(BrokerConfig.builder().maxPacketSize(1024).maxTopicLevels(4).build());

    private static PublishedMessage message(String topic, int payloadBytes) {
        return new PublishedMessage(topic, new byte[payloadBytes], 1, false, null, null, System.currentTimeMillis(),
                Mqtt5Properties.NONE);
    }

    private PublishRefusedException refused(String topic, int payloadBytes) {
        return assertThrows(PublishRefusedException.class, () -> broker.publish(message(topic, payloadBytes)));
    }

    @Test
    void topicsAreCheckedAsAClientsPublish_MQTT_3_3_2_2() {
        assertTrue(refused("a/+/b", 1).isTopicProblem());
        assertTrue(refused("", 1).isTopicProblem());
        assertTrue(refused("a\u0000b", 1).isTopicProblem(), "U+0000 [MQTT-1.5.4-2]");
        PublishRefusedException levels = refused("a/b/c/d/e", 1);
        assertTrue(levels.getMessage().contains("maxTopicLevels"), levels.getMessage());
        PublishRefusedException sys = refused("$SYS/broker/version", 1);
        assertTrue(sys.getMessage().contains("$SYS"), sys.getMessage());
    }

    @Test
    void aMessageLargerThanMaxPacketSizeIsRefusedNamingTheLimit() {
        PublishRefusedException big = refused("a/b", 2000);
        assertFalse(big.isTopicProblem());
        assertTrue(big.getMessage().contains("maxPacketSize (1024"), big.getMessage());
        assertDoesNotThrow(() -> broker.publish(message("a/b", 900)));
    }

    @Test
    void aLongTopicIsShownAbbreviated() {
        PublishRefusedException e = assertThrows(PublishRefusedException.class,
                () -> new MqttBroker(BrokerConfig.builder().build()).publish(message("t/" + "x".repeat(5_000), 1)));
        assertTrue(e.getMessage().contains("maxTopicLength") && e.getMessage().length() < 300, e.getMessage());
    }
}
