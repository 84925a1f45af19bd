package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.testing.CapturedLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The warm-up at start (#20): its clients finish their CONNECT, SUBSCRIBE and PUBLISH exchange on a
 * throwaway broker, and nothing of them reaches the real broker of the same JVM: no session, no
 * connection counted, no topic, no listener in the log.
 */
class WarmUpTest {

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @Test
    void everyWarmUpClientFinishesAndTheRealBrokerSeesNoneOfThem() throws Exception {
        MqttBroker real = broker.broker();
        List<String> logged;
        try (CapturedLog log = new CapturedLog(MqttBroker.class)) {
            assertEquals(500, WarmUp.run(500), "MQTT 3.1.1 and 5.0 clients, each with a QoS 0 and a QoS 1 message back");
            logged = log.messages();
        }
        assertEquals(0, real.stats().connectionsTotal());
        assertEquals(0, real.sessionCount());
        List<String> topics = new CopyOnWriteArrayList<>();
        real.topicStatistics().forEach((topic, figures) -> topics.add(topic));
        assertTrue(topics.stream().allMatch(t -> t.startsWith("$SYS/")), "only the real broker's own $SYS: " + topics);
        assertEquals(0, real.stats().messagesReceived());
        assertTrue(logged.stream().noneMatch(m -> m.contains("listener")), "the throwaway listener is not announced: " + logged);

        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("after-warm-up");
            assertArrayEquals(new byte[] {0, 0}, c.read().body(), "the real broker serves clients as before");
        }
    }

    @Test
    void aBrokerConfiguredToWarmUpStartsAndServes() throws Exception {
        MqttBroker warmed = new MqttBroker(BrokerConfig.builder().tcp("127.0.0.1", 0).warmUpConnections(100).build());
        warmed.start();
        try (RawMqttClient c = new RawMqttClient(warmed.localAddress())) {
            c.connect("first-device");
            assertArrayEquals(new byte[] {0, 0}, c.read().body());
            assertEquals(1, warmed.stats().connectionsTotal(), "only the device's connection counts");
        } finally {
            warmed.stop();
        }
    }

    @Test
    void aWarmUpBeyondTheLimitNamesTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BrokerConfig.builder().warmUpConnections(-1).build());
        assertTrue(e.getMessage().contains("warmUpConnections"), e.getMessage());
    }
}
