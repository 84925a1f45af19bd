package io.mqttra.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.mqttra.api.management.DeadLetterInfo;
import io.mqttra.api.management.DeadLettersMXBean;
import io.mqttra.api.management.ManagementNames;
import io.mqttra.jca.MqttActivationSpec;
import io.mqttra.jca.inbound.ActivationSettings;
import io.mqttra.jca.inbound.FakeEndpointFactory;
import io.mqttra.testing.Await;
import jakarta.jms.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DeadLetters MXBean lists what the adapter keeps in {@code dead-letters:<topic>}, replays a letter
 * to its original topic, and purges them, from the store too.
 */
class DeadLettersMXBeanTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String DEAD_LETTERS = ActivationSettings.DEFAULT_DEAD_LETTER_TOPIC;

    @TempDir
    Path data;

    private volatile boolean cured;
    private final List<String> processed = new CopyOnWriteArrayList<>();
    /** Fails every message whose body starts with "poison" until it is cured. */
    private final FakeEndpointFactory bean = FakeEndpointFactory.jms(m -> {
        String body = ((Message) m).getBody(String.class);
        if (body.startsWith("poison") && !cured) {
            throw new IllegalStateException("cannot process " + body);
        }
        processed.add(body);
    });

    private DeadLettersMXBean poisoned(AdapterUnderTest adapter, int letters) throws Exception {
        MqttActivationSpec spec = new MqttActivationSpec();
        spec.setTopicFilter("orders/#");
        spec.setBodyType("TEXT");
        spec.setMaxRedeliveries(1);
        spec.setRedeliveryDelay(10L);
        adapter.activate(bean, spec);
        DeadLettersMXBean deadLetters = adapter.mxbean(ManagementNames.DEAD_LETTERS, DeadLettersMXBean.class);
        for (int i = 1; i <= letters; i++) {
            adapter.publish("orders/" + i, "poison " + i, 1, false);
        }
        Await.until(WAIT, letters + " dead letter(s) kept", deadLetters::getCount, n -> n == letters);
        return deadLetters;
    }

    @Test
    void theListShowsEachKeptLetterWithWhereItCameFromAndWhy() throws Exception {
        try (AdapterUnderTest adapter = new AdapterUnderTest(data)) {
            DeadLettersMXBean deadLetters = poisoned(adapter, 2);
            assertArrayEquals(new String[] {DEAD_LETTERS}, deadLetters.getTopics());
            DeadLetterInfo[] all = deadLetters.list(null, 0, 10);
            assertEquals(2, all.length);
            // the two poisoned messages are delivered concurrently, so either may be dead-lettered first
            assertFalse(all[0].deadLetteredAt().after(all[1].deadLetteredAt()), "oldest first");
            DeadLetterInfo first = all[0].originalTopic().equals("orders/1") ? all[0] : all[1];
            DeadLetterInfo second = first == all[0] ? all[1] : all[0];
            assertEquals("orders/2", second.originalTopic());
            assertEquals(DEAD_LETTERS, first.deadLetterTopic());
            assertEquals(bean.getEndpointClass().getName(), first.consumer());
            assertTrue(first.failureReason().contains("cannot process poison 1"), first.failureReason());
            assertEquals(2, first.deliveryCount(), "the first delivery and maxRedeliveries=1 more");
            assertEquals(1, first.qos());
            assertEquals("poison 1".length(), first.payloadBytes());
            assertEquals("app", first.publisherClientId());
            assertEquals("clerk", first.publisherUserName());
            assertEquals(List.of(all[1].originalTopic()), List.of(deadLetters.list(DEAD_LETTERS, 1, 10)).stream()
                    .map(DeadLetterInfo::originalTopic).toList(), "paged");
            assertEquals(0, deadLetters.list("no/such/topic", 0, 10).length);
        }
    }

    @Test
    void replaySendsTheLetterToItsOriginalTopicWithoutWhatTheDeadLetteringAdded() throws Exception {
        try (AdapterUnderTest adapter = new AdapterUnderTest(data)) {
            DeadLettersMXBean deadLetters = poisoned(adapter, 1);
            Mqtt5BlockingClient watcher = Mqtt5Client.builder().identifier("replay-watcher").serverHost("127.0.0.1")
                    .serverPort(adapter.port()).buildBlocking();
            watcher.connect();
            watcher.subscribeWith().topicFilter("orders/#").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5BlockingClient.Mqtt5Publishes seen = watcher.publishes(MqttGlobalPublishFilter.ALL);

            cured = true;
            String id = deadLetters.list(null, 0, 1)[0].messageId();
            assertTrue(deadLetters.replay(id));
            Mqtt5Publish replayed = seen.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertEquals("orders/1", replayed.getTopic().toString());
            assertEquals("poison 1", new String(replayed.getPayloadAsBytes(), StandardCharsets.UTF_8));
            assertEquals(List.of(), replayed.getUserProperties().asList(), "originalTopic, failureReason... are gone");
            Await.until(WAIT, "the cured bean to process it", () -> processed.contains("poison 1"));
            assertEquals(0, deadLetters.getCount(), "no longer kept");
            assertFalse(deadLetters.replay(id), "replayed once");
            seen.close();
            watcher.disconnect();
        }
    }

    @Test
    void replayAllReplaysEveryLetterOfATopic() throws Exception {
        try (AdapterUnderTest adapter = new AdapterUnderTest(data)) {
            DeadLettersMXBean deadLetters = poisoned(adapter, 3);
            cured = true;
            assertEquals(3, deadLetters.replayAll(DEAD_LETTERS));
            Await.until(WAIT, "the three to be processed", processed::size, n -> n == 3);
            assertEquals(0, deadLetters.getCount());
        }
    }

    @Test
    void purgeForgetsTheLettersAlsoAcrossARestart() throws Exception {
        try (AdapterUnderTest adapter = new AdapterUnderTest(data)) {
            DeadLettersMXBean deadLetters = poisoned(adapter, 2);
            assertEquals(2, deadLetters.purge(null));
            assertEquals(0, deadLetters.getCount());
        }
        try (AdapterUnderTest restarted = new AdapterUnderTest(data)) {
            assertEquals(0, restarted.mxbean(ManagementNames.DEAD_LETTERS, DeadLettersMXBean.class).getCount(),
                    "gone from the store too");
        }
    }

    @Test
    void aLetterWithoutOriginalTopicIsNotReplayedButCanBeDeleted() throws Exception {
        try (AdapterUnderTest adapter = new AdapterUnderTest(data)) {
            DeadLettersMXBean deadLetters = adapter.mxbean(ManagementNames.DEAD_LETTERS, DeadLettersMXBean.class);
            adapter.publish(DEAD_LETTERS, "published there by hand", 1, false);
            Await.until(WAIT, "the letter to be kept", deadLetters::getCount, n -> n == 1);
            String id = deadLetters.list(null, 0, 1)[0].messageId();
            assertThrows(IllegalArgumentException.class, () -> deadLetters.replay(id));
            assertEquals(1, deadLetters.getCount(), "still kept");
            assertEquals(0, deadLetters.replayAll(null), "skipped");
            assertTrue(deadLetters.delete(id));
            assertEquals(0, deadLetters.getCount());
            assertFalse(deadLetters.delete(id));
        }
    }
}
