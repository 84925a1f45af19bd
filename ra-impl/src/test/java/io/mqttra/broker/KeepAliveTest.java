package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Keep-alive enforcement at one and a half times the client's interval [MQTT-3.1.2-24]. */
class KeepAliveTest {

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @Test
    void silentClientIsClosedAfterOneAndAHalfKeepAlives() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("sleepy", true, 1, 4);
            c.read();
            long millis = c.awaitClose(5000);
            assertTrue(millis >= 1300 && millis < 3000, "closed after ~1.5 s, was " + millis + " ms");
        }
    }

    @Test
    void clientThatPingsInTimeStaysConnected() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("awake", true, 1, 4);
            c.read();
            for (int i = 0; i < 6; i++) {
                Thread.sleep(700);
                c.pingReq();
                assertEquals(RawMqttClient.PINGRESP, c.read().type(), "still connected after " + (i + 1) * 700 + " ms");
            }
        }
    }

    @Test
    void zeroKeepAliveDisablesTheCheck_MQTT_3_1_2_10() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("no-keepalive", true, 0, 4);
            c.read();
            Thread.sleep(2000);
            c.pingReq();
            assertEquals(RawMqttClient.PINGRESP, c.read().type());
        }
    }
}
