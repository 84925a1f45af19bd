package io.mqttra.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** A rule's topic pattern against topics (match) and subscription filters (cover, overlap), without a broker. */
class TopicPatternTest {

    private static TopicPattern pattern(String text) {
        return TopicPattern.of(text, true);
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "a/b,     a/b,      true",
        "a/b,     a/bc,     false",
        "a/b,     a/,       false",
        "a/,      a/,       true",
        "a/+,     a/b,      true",
        "a/+,     a,        false",
        "a/+,     a/b/c,    false",
        "+,       a,        true",
        "+,       /a,       false",
        "+/a,     /a,       true",
        "+/+,     a/,       true",
        "a/#,     a,        true",   // [MQTT-4.7.1-2]: # also matches the parent level
        "a/#,     a/b/c,    true",
        "a/#,     ab,       false",
        "#,       a/b,      true",
        "a/+/#,   a/b,      true",
        "a/+/#,   a,        false",
        "$SYS/#,  $SYS/x,   true",
    })
    void matchTable(String pattern, String topic, boolean matches) {
        assertEquals(matches, pattern(pattern).matches(topic, null, null));
    }

    @ParameterizedTest(name = "{0} does not match {1} [MQTT-4.7.2-1]")
    @CsvSource({"#, $SYS/x", "+/x, $SYS/x", "#, $foo", "+, $foo"})
    void aPatternStartingWithAWildcardMatchesNoDollarTopic_MQTT_4_7_2_1(String pattern, String topic) {
        assertFalse(pattern(pattern).matches(topic, null, null));
    }

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
        "a/#,     a/+/b,     true",
        "a/#,     a/#,       true",
        "a/#,     a,         true",
        "a/#,     a/b/c,     true",
        "a/#,     a/+/#,     true",
        "a/#,     b,         false",
        "a/#,     #,         false",
        "a/+,     a/b,       true",
        "a/+,     a/+,       true",
        "a/+,     a/#,       false",  // a/# matches a and a/b/c, which a/+ does not
        "a/+,     a,         false",
        "a/+,     a/b/c,     false",
        "a/b,     a/+,       false",  // + in the filter is covered only by + or #
        "a/b,     a/b,       true",
        "a/b,     a,         false",
        "a,       a/#,       false",
        "+/b,     a/b,       true",
        "+/b,     +/b,       true",
        "+/b,     #,         false",
        "+,       +,         true",
        "+,       #,         false",
        "#,       #,         true",
        "#,       +/a,       true",
        "#,       a,         true",
        "a/+/#,   a/b,       true",
        "a/+/#,   a/+,       true",
        "a/+/#,   a/#,       false",  // a/# matches a, a/+/# does not
        "a//c,    a/+/c,     false",
        "a/+/c,   a//c,      true",
        "$SYS/#,  $SYS/broker/+, true",
        "$SYS/+,  $SYS/a,    true",
        "$SYS/#,  #,         false",
    })
    void coverTable(String pattern, String filter, boolean covers) {
        assertEquals(covers, pattern(pattern).covers(filter, null, null));
    }

    @ParameterizedTest(name = "{0} does not cover {1} [MQTT-4.7.2-1]")
    @CsvSource({"#, $SYS/x", "#, $SYS/#", "+/x, $SYS/x", "+, $foo", "#, $foo"})
    void aPatternStartingWithAWildcardCoversNoDollarFilter_MQTT_4_7_2_1(String pattern, String filter) {
        assertFalse(pattern(pattern).covers(filter, null, null));
    }

    @ParameterizedTest(name = "{0} overlaps {1}: {2}")
    @CsvSource({
        "a/secret/#, a/#,        true",
        "a/secret/#, a/+/x,      true",
        "a/secret/#, a/secret,   true",
        "a/secret/#, +/+,        true",
        "a/secret/#, #,          true",
        "a/secret/#, b/#,        false",
        "a/secret/#, a,          false",
        "a/secret/#, +,          false",
        "a/secret/#, a/public/+, false",
        "a/+,        a/#,        true",
        "a/+,        a/b/c,      false",
        "a,          a/#,        true",   // both match a
        "a,          a/+,        false",
        "a/b,        +/+,        true",
        "a/b,        a/c,        false",
        "+/+/c,      a/+/d,      false",
        "+/+/c,      a/+/+,      true",
        "#,          a/b,        true",
        "$SYS/#,     $SYS/+,     true",
        "$foo/x,     $foo/+,     true",
    })
    void overlapTable(String pattern, String filter, boolean overlaps) {
        assertEquals(overlaps, pattern(pattern).overlaps(filter, null, null));
    }

    @ParameterizedTest(name = "{0} does not overlap {1} [MQTT-4.7.2-1]")
    @CsvSource({"#, $SYS/x", "+/x, $SYS/x", "$SYS/#, #", "$SYS/#, +/x", "$foo, +", "+, $foo"})
    void wildcardFirstLevelsAndDollarTopicsDoNotOverlap_MQTT_4_7_2_1(String pattern, String filter) {
        assertFalse(pattern(pattern).overlaps(filter, null, null));
    }

    @Test
    void placeholdersStandForTheirValuesAsAWholeLevel() {
        TopicPattern devices = pattern("devices/%c/#");
        assertTrue(devices.usesClient());
        assertFalse(devices.usesUser());
        assertTrue(devices.matches("devices/c1/temp", null, "c1"));
        assertFalse(devices.matches("devices/c2/temp", null, "c1"));
        assertFalse(devices.matches("devices/c1x/temp", null, "c1"));
        assertTrue(devices.covers("devices/c1/+", null, "c1"));
        assertFalse(devices.covers("devices/+/temp", null, "c1"));
        assertTrue(devices.overlaps("devices/+/temp", null, "c1"));
        assertFalse(devices.overlaps("devices/c2/#", null, "c1"));
    }

    @Test
    void placeholdersStandForTheirValuesWithinALevel() {
        TopicPattern logs = pattern("logs/%u-%c");
        assertTrue(logs.matches("logs/bob-c1", "bob", "c1"));
        assertFalse(logs.matches("logs/bob-c2", "bob", "c1"));
        assertFalse(logs.matches("logs/bob-c1/x", "bob", "c1"));
        assertFalse(logs.matches("logs/bob-", "bob", "c1"));
        assertTrue(pattern("users/%u/inbox").matches("users/bob/inbox", "bob", null));
    }

    @Test
    void aValueIsComparedAsTextAndNeverSubstitutedAgain() {
        // the user name "%c" is text: it does not bring in the client id
        TopicPattern own = pattern("u/%u");
        assertTrue(own.matches("u/%c", "%c", "z"));
        assertFalse(own.matches("u/z", "%c", "z"));
        // nor does a filter that contains the placeholder's text match it
        assertFalse(own.covers("u/%u", "bob", "z"));
    }

    @Test
    void withoutPlaceholdersThePercentSignsAreText() {
        TopicPattern literal = TopicPattern.of("a/%u", false);
        assertFalse(literal.hasPlaceholders());
        assertTrue(literal.matches("a/%u", "bob", "c1"));
        assertFalse(literal.matches("a/bob", "bob", "c1"));
        assertTrue(pattern("a/%x").matches("a/%x", "bob", "c1"));
    }

    @Test
    void aValueStartingWithDollarGivesAFirstLevelThatWildcardFiltersDoNotOverlap_MQTT_4_7_2_1() {
        TopicPattern own = pattern("%c/#");
        assertFalse(own.overlaps("#", null, "$x"));
        assertFalse(own.overlaps("+/a", null, "$x"));
        assertTrue(own.overlaps("$x/a", null, "$x"));
        assertTrue(own.overlaps("#", null, "x"));
    }

    @ParameterizedTest(name = "''{0}'' may not replace a placeholder")
    @NullAndEmptySource
    @ValueSource(strings = {"+", "#", "a/b", "/", "a+", "x#"})
    void valuesThatWouldWidenOrSplitALevelAreNotUsable(String value) {
        assertFalse(TopicPattern.usable(value));
    }

    @ParameterizedTest(name = "''{0}'' may replace a placeholder")
    @ValueSource(strings = {"a", "a b", "$x", "%u", "sensor-1.local"})
    void otherValuesAreUsable(String value) {
        assertTrue(TopicPattern.usable(value));
    }
}
