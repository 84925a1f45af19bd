package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.broker.PublishedMessage.Mqtt5Properties;
import org.junit.jupiter.api.Test;

/** Retained messages are bounded in count and bytes, as clients decide what is retained. */
class RetainedMessagesTest {

    private static PublishedMessage retained(String topic, int payloadBytes) {
        return new PublishedMessage(topic, new byte[payloadBytes], 0, true, "c", null, System.currentTimeMillis(),
                Mqtt5Properties.NONE);
    }

    @Test
    void beyondTheCountANewTopicIsNotKeptButAKnownOneIsReplaced() {
        RetainedMessages r = new RetainedMessages(2, Long.MAX_VALUE);
        assertTrue(r.store(retained("a", 1)));
        assertTrue(r.store(retained("b", 1)));
        assertFalse(r.store(retained("c", 1)), "a third topic");
        assertTrue(r.store(retained("a", 5)), "a topic that has one already is replaced");
        assertEquals(2, r.size());
        assertEquals(1, r.refused());
        assertTrue(r.store(retained("a", 0)), "an empty payload deletes [MQTT-3.3.1-10]");
        assertTrue(r.store(retained("c", 1)), "room again");
    }

    @Test
    void beyondTheBytesNothingGrowsAndTheCountOfBytesFollowsReplacementsAndDeletions() {
        RetainedMessages r = new RetainedMessages(Integer.MAX_VALUE, 100);
        assertTrue(r.store(retained("t", 50)));
        assertEquals(52, r.bytes(), "payload and topic");
        assertFalse(r.store(retained("u", 60)));
        assertFalse(r.store(retained("t", 120)), "a replacement that would not fit keeps the old one");
        assertEquals(50, r.matching("t", System.currentTimeMillis()).get(0).payload().length);
        assertTrue(r.store(retained("t", 10)), "a smaller replacement always fits");
        assertEquals(12, r.bytes());
        r.store(retained("t", 0));
        assertEquals(0, r.bytes());
    }
}
