package io.mqttra.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.api.management.ManagementNames;
import io.mqttra.api.management.TopicInfo;
import io.mqttra.api.management.TopicsMXBean;
import io.mqttra.api.management.TopicLevelInfo;
import io.mqttra.broker.PublishedMessage;
import io.mqttra.broker.TopicStatistics;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/** The Topics MXBean: topics found by filter and paged, and the tree level by level with the figures added up. */
class TopicsMXBeanTest {

    private final TopicStatistics statistics = new TopicStatistics(100);
    private final TopicsBean topics = new TopicsBean(statistics);

    private void publish(String topic, String payload, long at) {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8), at);
    }

    private void publish(String topic, byte[] payload, long at) {
        statistics.count(new PublishedMessage(topic, payload, 0, false, "c", null, at, PublishedMessage.Mqtt5Properties.NONE));
    }

    private void site() {
        publish("site/1/temp", "20", 10);
        publish("site/1/temp", "21", 20);
        publish("site/1/humidity", "40", 30);
        publish("site/2/temp", "18", 40);
        publish("site/2", "online", 50);
        publish("office/door", "open", 60);
        publish("$SYS/broker/uptime", "7", 70);
    }

    @Test
    void listFindsTopicsByFilterOrderedByTopicAndPaged() {
        site();
        List<String> temps = Arrays.stream(topics.list("site/+/temp", 0, 10)).map(TopicInfo::topic).toList();
        assertEquals(List.of("site/1/temp", "site/2/temp"), temps);
        TopicInfo t = topics.list("site/1/temp", 0, 10)[0];
        assertEquals(2, t.messages());
        assertEquals("21", t.lastPayloadPreview());
        assertEquals("text", t.lastPayloadFormat());
        assertEquals(20, t.lastPublishedAt().getTime());
        assertEquals(4, topics.count("site/#"), "site/2 among them: # matches the parent level too [MQTT-4.7.1-2]");
        assertEquals(5, topics.count("#"), "# leaves $SYS out [MQTT-4.7.2-1]");
        assertEquals(1, topics.count("$SYS/#"));
        assertEquals(List.of("site/2"), Arrays.stream(topics.list("site/#", 2, 1)).map(TopicInfo::topic).toList(), "a page");
        assertThrows(IllegalArgumentException.class, () -> topics.list("site/#/x", 0, 10), "an invalid filter [MQTT-4.7.1-2]");
        assertThrows(IllegalArgumentException.class, () -> topics.list("#", 0, 1001), "a page of at most 1000");
    }

    @Test
    void childrenAddUpTheFiguresOfEveryTopicAtAndBelowALevel() {
        site();
        TopicLevelInfo[] top = topics.children("", 0, 100);
        assertEquals(List.of("$SYS", "office", "site"), Arrays.stream(top).map(TopicLevelInfo::level).toList());
        TopicLevelInfo site = top[2];
        assertEquals("site", site.path());
        assertEquals(5, site.messages());
        assertEquals(4, site.topics());
        assertEquals(2, site.childLevels());
        assertEquals(50, site.lastActivity().getTime());
        assertFalse(site.topic());

        TopicLevelInfo[] sites = topics.children("site", 0, 100);
        TopicLevelInfo two = sites[1];
        assertEquals("site/2", two.path());
        assertEquals(2, two.messages(), "its own message and site/2/temp's");
        assertTrue(two.topic(), "site/2 is a topic as well as a level");
        assertEquals(1, two.ownMessages());
        assertEquals("online", two.lastPayloadPreview());
        assertEquals(1, two.childLevels());

        TopicLevelInfo humidity = topics.children("site/1", 0, 100)[0];
        assertEquals("humidity", humidity.level());
        assertEquals(0, humidity.childLevels());
        assertEquals(0, topics.children("site/1/temp", 0, 100).length, "a leaf");
        assertEquals(1, topics.children("site", 1, 100).length, "a page");
        assertThrows(IllegalArgumentException.class, () -> topics.children("site/+", 0, 10), "a path, not a filter");
    }

    @Test
    void emptyLevelsAreLevelsToo() {
        publish("a//b", "x", 1);
        TopicLevelInfo[] below = topics.children("a", 0, 10);
        assertEquals("", below[0].level());
        assertEquals("a/", below[0].path());
        assertEquals("b", topics.children("a/", 0, 10)[0].level());
    }

    @Test
    void thePreviewIsTextWhenItIsUtf8AndHexOtherwise() {
        publish("bin", new byte[] {(byte) 0xff, 0, 1}, 1);
        publish("ctl", new byte[] {'a', 0, 'b'}, 1);
        StringBuilder longText = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            longText.append("é"); // 2 bytes each: 60 bytes
        }
        longText.append("abcdé"); // bytes 64 and 65: the kept bytes end inside the é
        publish("long", longText.toString(), 1);
        TopicInfo bin = topics.list("bin", 0, 1)[0];
        assertEquals("ff0001", bin.lastPayloadPreview());
        assertEquals("hex", bin.lastPayloadFormat());
        assertEquals("hex", topics.list("ctl", 0, 1)[0].lastPayloadFormat(), "control characters are no text");
        TopicInfo cut = topics.list("long", 0, 1)[0];
        assertEquals("text", cut.lastPayloadFormat(), "a character cut at the end keeps it text");
        assertEquals(longText.substring(0, 34) + "…", cut.lastPayloadPreview());
        assertEquals(66, cut.lastPayloadBytes());
    }

    @Test
    void resetForgetsTheTopicsAndOthers() {
        TopicStatistics s = new TopicStatistics(1);
        TopicsBean bean = new TopicsBean(s);
        s.count(new PublishedMessage("a", new byte[0], 0, false, "c", null, 1, PublishedMessage.Mqtt5Properties.NONE));
        s.count(new PublishedMessage("b", new byte[0], 0, false, "c", null, 1, PublishedMessage.Mqtt5Properties.NONE));
        assertEquals(1, bean.getCount());
        assertEquals(1, bean.getOtherMessages());
        assertEquals(1, bean.getMaxTrackedTopics());
        assertEquals(1, bean.reset());
        assertEquals(0, bean.getCount());
        assertEquals(0, bean.getOtherMessages());
    }

    @Test
    void throughJmxTheBeanCountsWhatAnMqttClientPublished() throws Exception {
        try (AdapterUnderTest adapter = new AdapterUnderTest(null, ra -> ra.setSysIntervalSeconds(0))) {
            TopicsMXBean jmx = adapter.mxbean(ManagementNames.TOPICS, TopicsMXBean.class);
            MqttClient c = new MqttClient(adapter.uri(), "topics-test", new MemoryPersistence());
            c.connect();
            for (int i = 1; i <= 3; i++) {
                c.publish("plant/line1/speed", ("" + i * 10).getBytes(StandardCharsets.UTF_8), 1, false);
            }
            c.publish("plant/line2/speed", "7".getBytes(StandardCharsets.UTF_8), 1, false);
            c.disconnect();
            c.close();
            assertEquals(2, jmx.getCount());
            assertEquals(10_000, jmx.getMaxTrackedTopics(), "the default");
            TopicInfo line1 = jmx.list("plant/line1/speed", 0, 1)[0];
            assertEquals(3, line1.messages());
            assertEquals("30", line1.lastPayloadPreview());
            assertEquals(1, line1.lastQos());
            TopicLevelInfo plant = jmx.children("", 0, 10)[0];
            assertEquals("plant", plant.path());
            assertEquals(4, plant.messages());
            assertEquals(2, plant.childLevels());
        }
    }
}
