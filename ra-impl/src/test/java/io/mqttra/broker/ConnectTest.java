package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.broker.RawMqttClient.Packet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CONNECT / CONNACK, session presence and takeover (MQTT 3.1.1 sections 3.1 and 3.2). */
class ConnectTest {

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @Test
    void acceptsAnMqtt311ConnectWithReturnCode0() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("client-a");
            Packet connack = c.read();
            assertEquals(RawMqttClient.CONNACK, connack.type());
            assertArrayEquals(new byte[] {0, 0}, connack.body(), "sessionPresent=0, return code 0");
        }
    }

    @Test
    void acceptsMqtt31ProtocolNameMQIsdp() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("MQIsdp", 3, "ibm-device", true, 60);
            assertArrayEquals(new byte[] {0, 0}, c.read().body());
        }
    }

    @Test
    void emptyClientIdWithPersistentSessionIsRejectedWithCode2_MQTT_3_1_3_8() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("", false, 0, 4);
            Packet connack = c.read();
            assertEquals(RawMqttClient.CONNACK, connack.type());
            assertEquals(2, connack.body()[1], "identifier rejected");
            c.awaitClose(2000);
        }
    }

    @Test
    void emptyClientIdWithCleanSessionGetsAnIdentifierAssigned_MQTT_3_1_3_6() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("", true, 0, 4);
            assertArrayEquals(new byte[] {0, 0}, c.read().body());
            c.pingReq();
            assertEquals(RawMqttClient.PINGRESP, c.read().type());
        }
    }

    @Test
    void olderUnsupportedProtocolLevelGetsCode1AndIsClosed_MQTT_3_1_2_2() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("old-client", true, 0, 2);
            Packet connack = c.read();
            assertEquals(RawMqttClient.CONNACK, connack.type());
            assertArrayEquals(new byte[] {0, 1}, connack.body(), "3.x format, unacceptable protocol version");
            c.awaitClose(2000);
        }
    }

    @Test
    void newerUnsupportedProtocolLevelGetsReason0x84AndIsClosed_MQTT_3_1_2_2() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("future-client", true, 0, 6);
            Packet connack = c.read();
            assertEquals(RawMqttClient.CONNACK, connack.type());
            assertArrayEquals(new byte[] {0, (byte) 0x84, 0}, connack.body(), "5.0 format, Unsupported Protocol Version");
            c.awaitClose(2000);
        }
    }

    @Test
    void firstPacketOtherThanConnectClosesTheConnection_MQTT_3_1_0_1() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.pingReq();
            c.awaitClose(2000);
        }
    }

    @Test
    void secondConnectIsAProtocolViolation_MQTT_3_1_0_2() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("twice");
            c.read();
            c.connect("twice");
            c.awaitClose(2000);
        }
    }

    @Test
    void pingReqIsAnsweredWithPingResp_MQTT_3_12_4_1() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("pinger");
            c.read();
            c.pingReq();
            Packet p = c.read();
            assertEquals(RawMqttClient.PINGRESP, p.type());
            assertEquals(0, p.body().length);
        }
    }

    @Test
    void sameClientIdTakesTheSessionOverAndDisconnectsTheFirst_MQTT_3_1_4_2() throws Exception {
        MqttClient first = new MqttClient(broker.uri(), "device-7", new MemoryPersistence());
        CountDownLatch lost = new CountDownLatch(1);
        first.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                lost.countDown();
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        first.connect();
        MqttClient second = new MqttClient(broker.uri(), "device-7", new MemoryPersistence());
        second.connect();
        assertTrue(lost.await(5, TimeUnit.SECONDS), "the first connection is closed");
        assertTrue(second.isConnected());
        second.disconnect();
        second.close();
        first.close();
    }

    @Test
    void persistentSessionIsPresentOnReconnect_MQTT_3_2_2_2() throws Exception {
        MqttConnectOptions persistent = new MqttConnectOptions();
        persistent.setCleanSession(false);
        MqttClient c = new MqttClient(broker.uri(), "keeper", new MemoryPersistence());
        assertFalse(c.connectWithResult(persistent).getSessionPresent());
        c.disconnect();
        assertTrue(c.connectWithResult(persistent).getSessionPresent());
        c.disconnect();

        MqttConnectOptions clean = new MqttConnectOptions();
        clean.setCleanSession(true);
        assertFalse(c.connectWithResult(clean).getSessionPresent(), "clean session discards the state [MQTT-3.2.2-1]");
        c.disconnect();
        c.close();
    }
}
