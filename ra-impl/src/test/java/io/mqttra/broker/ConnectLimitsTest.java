package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.testing.Await;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The limits on what connecting clients make the broker keep: sessions, and connections per address and second. */
class ConnectLimitsTest {

    @Test
    void aConnectBeyondMaxClientSessionsIsRefusedButResumingOrReplacingOneIsNot() throws Exception {
        MqttBroker broker = LimitsTest.start(BrokerConfig.builder().maxClientSessions(2));
        try {
            try (RawMqttClient away = new RawMqttClient(broker.localAddress())) {
                away.connect("away", false, 0, 4);
                away.read();
                away.disconnect();
            }
            Await.until(Duration.ofSeconds(5), "away to be offline", () -> broker.connectedClients() == 0);
            try (RawMqttClient here = new RawMqttClient(broker.localAddress());
                 RawMqttClient third = new RawMqttClient(broker.localAddress());
                 RawMqttClient third5 = new RawMqttClient(broker.localAddress())) {
                here.connect("here");
                assertEquals(0, here.read().body()[1]);
                // the offline persistent session and the connected one make two
                third.connect("third");
                assertArrayEquals(new byte[] {0, 3}, third.read().body(), "3.1.1: server unavailable");
                third.awaitClose(2000);
                third5.connect5("third5", true, RawMqttClient.props());
                assertEquals(0x97, third5.read().body()[1] & 0xFF, "5.0: quota exceeded");

                try (RawMqttClient back = new RawMqttClient(broker.localAddress());
                     RawMqttClient takeover = new RawMqttClient(broker.localAddress())) {
                    back.connect("away", false, 0, 4);
                    assertArrayEquals(new byte[] {1, 0}, back.read().body(), "its session resumed [MQTT-3.2.2-2]");
                    takeover.connect("here"); // a clean start replaces the session of "here"
                    assertArrayEquals(new byte[] {0, 0}, takeover.read().body());
                }
            }
            assertEquals(2, broker.stats().sessionsRefused());
            assertTrue(broker.stats().connectionsRefused() >= 2);
            Map<String, String> sys = new SysTopics(broker).values();
            assertEquals("2", sys.get("$SYS/broker/connections/refused/sessions"));
        } finally {
            broker.stop();
        }
    }

    /**
     * Without any setting, one address cannot open connections as fast as it likes: a burst of 500
     * from 127.0.0.1 exceeds the default of 200 a second, whichever second boundaries it straddles,
     * as long as it takes less than two seconds.
     */
    @Test
    void theDefaultConnectionRateCutsABurstFromOneAddress() throws Exception {
        MqttBroker broker = LimitsTest.start(BrokerConfig.builder());
        List<Socket> burst = new ArrayList<>();
        try {
            openBurst(broker, burst);
            long limited = broker.stats().connectionsRateLimited();
            assertTrue(limited >= 100, "connections beyond 200 a second closed: " + limited);
            assertEquals(String.valueOf(limited), new SysTopics(broker).values().get("$SYS/broker/connections/refused/rate"));
        } finally {
            for (Socket s : burst) {
                s.close();
            }
            broker.stop();
        }
    }

    @Test
    void aConnectionRateOfZeroLetsEveryConnectionIn() throws Exception {
        MqttBroker broker = LimitsTest.start(BrokerConfig.builder().maxConnectionsPerSecondPerAddress(0));
        List<Socket> burst = new ArrayList<>();
        try {
            openBurst(broker, burst);
            assertEquals(0, broker.stats().connectionsRateLimited());
        } finally {
            for (Socket s : burst) {
                s.close();
            }
            broker.stop();
        }
    }

    /** Opens 500 connections from 127.0.0.1 as fast as it can, into {@code burst}, and waits until the broker has accepted them. */
    private static void openBurst(MqttBroker broker, List<Socket> burst) throws Exception {
        for (int i = 0; i < 500; i++) {
            burst.add(new Socket("127.0.0.1", broker.localAddress().getPort()));
        }
        Await.until(Duration.ofSeconds(5), "500 connections accepted", () -> broker.stats().connectionsTotal() >= 500);
    }
}
