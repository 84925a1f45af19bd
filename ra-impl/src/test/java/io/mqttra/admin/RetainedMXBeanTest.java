package io.mqttra.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.api.management.ManagementNames;
import io.mqttra.api.management.RetainedMXBean;
import io.mqttra.api.management.RetainedMessageInfo;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Retained MXBean finds retained messages by filter and deletes them, the counts staying exact. */
class RetainedMXBeanTest {

    private AdapterUnderTest adapter;
    private RetainedMXBean retained;

    @BeforeEach
    void start() throws Exception {
        adapter = new AdapterUnderTest(null, ra -> ra.setSysIntervalSeconds(0)); // no $SYS messages among ours
        retained = adapter.mxbean(ManagementNames.RETAINED, RetainedMXBean.class);
        adapter.publish("home/kitchen/temp", "21.5", 1, true);
        adapter.publish("home/kitchen/light", "on", 0, true);
        adapter.publish("home/hall/temp", "19", 1, true);
        adapter.publish("garden/temp", "12", 1, true);
        adapter.ra.broker().publish(new io.mqttra.broker.PublishedMessage("bin/blob", new byte[] {(byte) 0xff, 0, 1}, 0, true,
                null, null, System.currentTimeMillis(), io.mqttra.broker.PublishedMessage.Mqtt5Properties.NONE));
    }

    @AfterEach
    void stop() {
        adapter.close();
    }

    /** What the bounds count: payload and twice the topic. */
    private static long weight(String topic, int payloadBytes) {
        return payloadBytes + 2L * topic.length();
    }

    @Test
    void findListsTheMatchingMessagesByTopicAndCountCountsThem() {
        RetainedMessageInfo[] found = retained.find("home/+/temp", 10);
        assertEquals(List.of("home/hall/temp", "home/kitchen/temp"), Arrays.stream(found).map(RetainedMessageInfo::topic).toList());
        RetainedMessageInfo kitchen = found[1];
        assertEquals(1, kitchen.qos());
        assertEquals(4, kitchen.payloadBytes());
        assertEquals("21.5", kitchen.payloadPreview());
        assertEquals("app", kitchen.publisherClientId());
        assertNull(retained.find("bin/#", 10)[0].payloadPreview(), "binary payloads are not shown");
        assertEquals(3, retained.count("home/#"));
        assertEquals(5, retained.count("#"));
        assertEquals(1, retained.find("#", 1).length, "limited");
        assertEquals(5, retained.getCount());
        assertThrows(IllegalArgumentException.class, () -> retained.find("home/#/x", 10), "an invalid filter [MQTT-4.7.1-2]");
    }

    @Test
    void deletingOneMessageKeepsCountAndBytesExact() throws Exception {
        long before = retained.getBytes();
        assertTrue(retained.delete("home/kitchen/light"));
        assertEquals(4, retained.getCount());
        assertEquals(before - weight("home/kitchen/light", 2), retained.getBytes());
        assertFalse(retained.delete("home/kitchen/light"), "gone already");
        assertFalse(retained.delete("home/kitchen"), "a level without a message of its own");
        assertThrows(IllegalArgumentException.class, () -> retained.delete("home/+"), "a filter is no topic");

        // a subscriber no longer gets it
        MqttClient c = new MqttClient(adapter.uri(), "after-delete", new MemoryPersistence());
        c.connect();
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        c.subscribe("home/kitchen/#", 1, (t, m) -> got.add(t + "=" + new String(m.getPayload(), StandardCharsets.UTF_8)));
        assertEquals("home/kitchen/temp=21.5", got.poll(5, TimeUnit.SECONDS));
        assertNull(got.poll(300, TimeUnit.MILLISECONDS), "nothing else retained under home/kitchen");
        c.disconnect();
    }

    @Test
    void deletingUnderAFilterRemovesExactlyTheMatchingMessages() {
        assertEquals(3, retained.deleteMatching("home/#"));
        assertEquals(2, retained.getCount());
        assertEquals(weight("garden/temp", 2) + weight("bin/blob", 3), retained.getBytes(), "the bytes of those left, exactly");
        assertEquals(List.of("bin/blob", "garden/temp"), Arrays.stream(retained.find("#", 10)).map(RetainedMessageInfo::topic).toList());
        assertEquals(0, retained.deleteMatching("home/#"), "nothing left there");
        assertEquals(2, retained.deleteMatching("#"));
        assertEquals(0, retained.getCount());
        assertEquals(0, retained.getBytes());
    }
}
