package io.mqttra.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.api.management.BrokerMXBean;
import io.mqttra.api.management.ListenerInfo;
import io.mqttra.api.management.ManagementNames;
import io.mqttra.broker.MqttBroker;
import io.mqttra.testing.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/** The Broker MXBean's figures are the broker's own: those {@code $SYS} publishes, after known traffic. */
class BrokerMXBeanTest {

    @Test
    void theFiguresMatchTheTrafficAndTheSysTopics() throws Exception {
        try (AdapterUnderTest adapter = new AdapterUnderTest(null, ra -> {
            ra.setSysIntervalSeconds(1);
            ra.setAclRules("allow all all #; allow all subscribe $SYS/#");
        })) {
            BrokerMXBean broker = adapter.mxbean(ManagementNames.BROKER, BrokerMXBean.class);
            MqttClient subscriber = new MqttClient(adapter.uri(), "figures-sub", new MemoryPersistence());
            MqttClient publisher = new MqttClient(adapter.uri(), "figures-pub", new MemoryPersistence());
            subscriber.connect();
            publisher.connect();
            CountDownLatch got = new CountDownLatch(10);
            subscriber.subscribe("figures/+", 1, (t, m) -> got.countDown());
            for (int i = 0; i < 10; i++) {
                publisher.publish("figures/" + i, new byte[100], 1, false);
            }
            publisher.publish("state/figures", "on".getBytes(StandardCharsets.UTF_8), 1, true);
            assertTrue(got.await(10, TimeUnit.SECONDS));

            assertEquals(MqttBroker.version(), broker.getVersion());
            assertEquals(2, broker.getConnectedClients());
            assertEquals(2, broker.getSessions());
            assertEquals(2, broker.getSubscriptions(), "the subscriber's, and the dead letters' that the adapter keeps");
            assertEquals(11, broker.getMessagesReceived());
            Await.until(Duration.ofSeconds(10), "10 messages sent", broker::getMessagesSent, n -> n == 10);
            assertTrue(broker.getRetainedMessages() >= 1, "ours and those of $SYS: " + broker.getRetainedMessages());
            assertTrue(broker.getBytesReceived() > 10 * 100, "bytes received: " + broker.getBytesReceived());
            assertTrue(broker.getStartTime() <= System.currentTimeMillis() && broker.getUptimeSeconds() >= 0);
            assertEquals(JmxAdministration.RATE_INTERVAL_SECONDS, broker.getRateIntervalSeconds());

            ListenerInfo[] listeners = broker.getListeners();
            assertEquals(1, listeners.length);
            assertEquals("tcp://127.0.0.1:" + adapter.port(), listeners[0].address(), "with the actual port");
            assertEquals("TCP", listeners[0].transport());
            assertFalse(listeners[0].tls());
            assertEquals(2, listeners[0].connections());

            // the $SYS reader is a third client; the figures it cannot change must agree once $SYS has published them
            Map<String, String> sys = new ConcurrentHashMap<>();
            MqttClient reader = new MqttClient(adapter.uri(), "figures-sys", new MemoryPersistence());
            reader.connect();
            reader.subscribe("$SYS/broker/#", 0, (t, m) -> sys.put(t, new String(m.getPayload(), StandardCharsets.UTF_8)));
            // a round of $SYS topics arrives one topic after the other, over the retained ones of the round
            // before: every figure compared is awaited, not only the first of them
            Await.until(Duration.ofSeconds(10), "$SYS to count the third client and publish the figures below",
                    () -> "3".equals(sys.get("$SYS/broker/clients/connected"))
                            && String.valueOf(broker.getMessagesReceived()).equals(sys.get("$SYS/broker/messages/received"))
                            && String.valueOf(broker.getConnectionsTotal()).equals(sys.get("$SYS/broker/connections/total"))
                            && String.valueOf(broker.getRetainedMessages()).equals(sys.get("$SYS/broker/retained messages/count")));
            assertEquals(3, broker.getConnectedClients());
            assertEquals(String.valueOf(broker.getMessagesReceived()), sys.get("$SYS/broker/messages/received"));
            assertEquals(String.valueOf(broker.getConnectionsTotal()), sys.get("$SYS/broker/connections/total"));
            assertEquals(String.valueOf(broker.getRetainedMessages()), sys.get("$SYS/broker/retained messages/count"));
            reader.disconnect();
            publisher.disconnect();
            subscriber.disconnect();
        }
    }
}
