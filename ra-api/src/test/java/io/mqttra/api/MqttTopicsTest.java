package io.mqttra.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MqttTopicsTest {

    @ParameterizedTest(name = "[MQTT-4.7.1] ''{0}'' matches ''{1}''")
    @CsvSource({
        "sport/tennis/player1/#, sport/tennis/player1",
        "sport/tennis/player1/#, sport/tennis/player1/ranking",
        "sport/tennis/player1/#, sport/tennis/player1/score/wimbledon",
        "sport/#, sport",
        "#, sport/tennis",
        "sport/tennis/+, sport/tennis/player1",
        "+/+, /finance",
        "/+, /finance",
        "+, a",
        "$SYS/#, $SYS/broker/uptime",
        "$SYS/+/uptime, $SYS/broker/uptime",
        "a//b, a//b",
        "a/+/b, a//b",
    })
    void matching(String filter, String topic) {
        assertTrue(MqttTopics.matches(filter, topic));
    }

    @ParameterizedTest(name = "[MQTT-4.7.1] ''{0}'' does not match ''{1}''")
    @CsvSource({
        "sport/tennis/+, sport/tennis/player1/ranking",
        "sport/+, sport",
        "+, /finance",
        "a/b, a/b/c",
        "a/b/c, a/b",
        "#, $SYS/broker",
        "+/broker, $SYS/broker",
        "sensors/+/temperature, sensors/room1/humidity",
    })
    void notMatching(String filter, String topic) {
        assertFalse(MqttTopics.matches(filter, topic));
    }

    @ParameterizedTest(name = "valid filter ''{0}''")
    @ValueSource(strings = {"#", "+", "a/+/b", "a/#", "+/+", "/", "a//b", "$SYS/#"})
    void validFilters(String filter) {
        assertNull(MqttTopics.topicFilterProblem(filter));
    }

    @ParameterizedTest(name = "[MQTT-4.7.1-2/3] invalid filter ''{0}''")
    @ValueSource(strings = {"", "a/#/b", "a#", "a/b#", "a+", "a/+b", "#/a", "a\u0000b"})
    void invalidFilters(String filter) {
        assertNotNull(MqttTopics.topicFilterProblem(filter));
    }

    @ParameterizedTest(name = "[MQTT-3.3.2-2] invalid topic name ''{0}''")
    @ValueSource(strings = {"", "a/+", "a/#", "#", "a\u0000"})
    void invalidTopicNames(String topic) {
        assertNotNull(MqttTopics.topicNameProblem(topic));
    }
}
