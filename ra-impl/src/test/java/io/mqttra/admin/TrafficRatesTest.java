package io.mqttra.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.broker.BrokerConfig;
import io.mqttra.broker.MqttBroker;
import io.mqttra.testing.Await;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/** Rates are the difference of the broker's counters over the last completed interval. */
class TrafficRatesTest {

    @Test
    void aBurstShowsInTheRateOfItsIntervalAndIsGoneAfterAQuietOne() throws Exception {
        MqttBroker broker = new MqttBroker(BrokerConfig.builder().tcp("127.0.0.1", 0).sysIntervalSeconds(0).build());
        broker.start();
        try (TrafficRates rates = new TrafficRates(broker.stats(), 1)) {
            assertEquals(0, rates.messagesReceivedPerSecond(), "no interval has completed");
            MqttClient c = new MqttClient("tcp://127.0.0.1:" + broker.localAddress().getPort(), "rates",
                    new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            // Paho counts a QoS 1 publish as in flight until a moment after publish() has returned for its
            // PUBACK: with its default of 10, a fast broker made the 11th of a tight loop fail (32202)
            options.setMaxInflight(100);
            c.connect(options);
            for (int i = 0; i < 40; i++) {
                c.publish("rates/" + i, new byte[10], 1, false); // acknowledged: counted when this returns
            }
            double seen = Await.until(Duration.ofSeconds(5), "the burst in a rate", rates::messagesReceivedPerSecond, r -> r > 0);
            assertTrue(seen <= 40 * 1.2, "at most the burst in about one second: " + seen);
            Await.until(Duration.ofSeconds(5), "a quiet interval", rates::messagesReceivedPerSecond, r -> r == 0);
            c.disconnect();
        } finally {
            broker.stop();
        }
    }
}
