package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The TLS, WebSocket and WebSocket-over-TLS listeners with Paho, the HiveMQ client, mosquitto_sub and MQTT.js. */
class TlsAndWebSocketTest {

    static final TestCertificates CERTS;

    static {
        try {
            CERTS = TestCertificates.create(TestCertificates.tempDir("certs"));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int TCP = 0;
    private static final int TLS = 1;
    private static final int WS = 2;
    private static final int WSS = 3;

    @RegisterExtension
    final BrokerExtension broker = BrokerExtension.withListeners(BrokerConfig.builder()
            .listeners(ListenerConfig.parseList("tcp://127.0.0.1:0, ssl://127.0.0.1:0, ws://127.0.0.1:0/mqtt, wss://127.0.0.1:0/mqtt"))
            .tls(CERTS.serverTls(TlsConfig.ClientAuth.OPTIONAL)));

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Subscribes and publishes to itself over one connection; returns what came back. */
    private static String roundTrip(MqttClient c, String topic) throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        c.subscribe(topic, 1, (t, m) -> got.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
        c.publish(topic, bytes("over " + c.getServerURI().split(":")[0]), 1, false);
        String s = got.poll(5, TimeUnit.SECONDS);
        c.disconnect();
        c.close();
        return s;
    }

    private MqttClient paho(String uri, String id, MqttConnectOptions options) throws Exception {
        MqttClient c = new MqttClient(uri, id, new MemoryPersistence());
        c.connect(options);
        return c;
    }

    private static MqttConnectOptions tlsOptions(boolean clientCertificate) throws Exception {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setSocketFactory(CERTS.clientContext(clientCertificate).getSocketFactory());
        return o;
    }

    @Test
    void pahoOverTls() throws Exception {
        MqttClient c = paho("ssl://127.0.0.1:" + broker.port(TLS), "paho-tls", tlsOptions(false));
        assertEquals("over ssl", roundTrip(c, "tls/paho"));
    }

    @Test
    void hiveMqMqtt5OverTlsWithAClientCertificate() throws Exception {
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier("hive-tls").serverHost("127.0.0.1").serverPort(broker.port(TLS))
                .sslConfig().trustManagerFactory(CERTS.trustManagers()).keyManagerFactory(CERTS.clientKeyManagers())
                .applySslConfig().buildBlocking();
        c.connect();
        c.subscribeWith().topicFilter("tls/hive").send();
        Mqtt5BlockingClient.Mqtt5Publishes publishes = c.publishes(MqttGlobalPublishFilter.ALL);
        c.publishWith().topic("tls/hive").payload(bytes("secure")).send();
        Mqtt5Publish p = publishes.receive(5, TimeUnit.SECONDS).orElseThrow();
        assertEquals("secure", new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
        publishes.close();
        c.disconnect();
    }

    @Test
    void requiredClientCertificateRefusesClientsWithoutOne() throws Exception {
        MqttBroker strict = new MqttBroker(BrokerConfig.builder()
                .listeners(List.of(ListenerConfig.parse("ssl://127.0.0.1:0")))
                .tls(CERTS.serverTls(TlsConfig.ClientAuth.REQUIRED)).build());
        strict.start();
        try {
            String uri = "ssl://127.0.0.1:" + strict.localAddress().getPort();
            MqttClient anonymous = new MqttClient(uri, "no-cert", new MemoryPersistence());
            assertThrows(MqttException.class, () -> anonymous.connect(tlsOptions(false)), "handshake refused");
            anonymous.close();
            assertEquals("over ssl", roundTrip(paho(uri, "with-cert", tlsOptions(true)), "tls/strict"));
        } finally {
            strict.stop();
        }
    }

    @Test
    void wrongKeyStorePasswordFailsTheStartNamingListenerAndKeyStore() {
        MqttBroker wrong = new MqttBroker(BrokerConfig.builder()
                .listeners(List.of(ListenerConfig.parse("ssl://127.0.0.1:0")))
                .tls(new TlsConfig(CERTS.serverKeyStore.toString(), "not-the-password", "PKCS12", null, null, "PKCS12",
                        TlsConfig.ClientAuth.NONE, TlsConfig.DEFAULT_PROTOCOLS)).build());
        BrokerStartException e = assertThrows(BrokerStartException.class, wrong::start);
        assertTrue(e.getMessage().startsWith("Cannot open MQTT listener ssl://127.0.0.1:0: cannot read the key store "
                + CERTS.serverKeyStore), e.getMessage());
        assertTrue(e.getMessage().contains("wrong password"), e.getMessage());
    }

    @Test
    void plainClientOnTheTlsPortIsClosed() throws Exception {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + broker.port(TLS), "confused", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setConnectionTimeout(5);
        assertThrows(MqttException.class, () -> c.connect(o));
        c.close();
    }

    @Test
    void mosquittoSubOverTlsWithTheCaFile() throws Exception {
        ExternalClients.requireMosquittoClients();
        Process sub = ExternalClients.start(null, "mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(broker.port(TLS)),
                "--cafile", CERTS.caPem.toString(), "-t", "tls/mosquitto", "-C", "1", "-W", "10");
        MqttClient pub = paho("tcp://127.0.0.1:" + broker.port(TCP), "plain-pub", new MqttConnectOptions());
        for (int i = 0; i < 40 && sub.isAlive(); i++) {
            pub.publish("tls/mosquitto", bytes("to mosquitto over TLS"), 1, false);
            sub.waitFor(250, TimeUnit.MILLISECONDS);
        }
        pub.disconnect();
        pub.close();
        assertTrue(sub.waitFor(5, TimeUnit.SECONDS));
        assertEquals("to mosquitto over TLS", new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    }

    @Test
    void pahoOverWebSocket() throws Exception {
        MqttClient c = paho("ws://127.0.0.1:" + broker.port(WS) + "/mqtt", "paho-ws", new MqttConnectOptions());
        assertEquals("over ws", roundTrip(c, "ws/paho"));
    }

    @Test
    void pahoOverWebSocketWithTls() throws Exception {
        MqttClient c = paho("wss://127.0.0.1:" + broker.port(WSS) + "/mqtt", "paho-wss", tlsOptions(false));
        assertEquals("over wss", roundTrip(c, "wss/paho"));
    }

    @Test
    void hiveMqOverWebSocket() throws Exception {
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier("hive-ws").serverHost("127.0.0.1").serverPort(broker.port(WS))
                .webSocketConfig().serverPath("mqtt").applyWebSocketConfig().buildBlocking();
        c.connect();
        c.subscribeWith().topicFilter("ws/hive").send();
        Mqtt5BlockingClient.Mqtt5Publishes publishes = c.publishes(MqttGlobalPublishFilter.ALL);
        c.publishWith().topic("ws/hive").payload(bytes("framed")).send();
        assertEquals("framed", new String(publishes.receive(5, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(),
                StandardCharsets.UTF_8));
        publishes.close();
        c.disconnect();
    }

    @Test
    void webSocketOnAnotherPathIsRefused() throws Exception {
        MqttClient c = new MqttClient("ws://127.0.0.1:" + broker.port(WS) + "/elsewhere", "lost", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setConnectionTimeout(5);
        assertThrows(MqttException.class, () -> c.connect(o));
        c.close();
    }

    @Test
    void mqttJsOverWebSocket() throws Exception {
        ExternalClients.requireMqttJs();
        String url = "ws://127.0.0.1:" + broker.port(WS) + "/mqtt";
        String v4 = ExternalClients.run(ExternalClients.NODE_PROJECT, 20, "node", "roundtrip.js", url, "4");
        assertTrue(v4.contains("\"payload\":\"hello from MQTT.js\",\"qos\":2"), v4);
        String v5 = ExternalClients.run(ExternalClients.NODE_PROJECT, 20, "node", "roundtrip.js", url, "5");
        assertTrue(v5.contains("\"userProperties\":{\"origin\":\"node\"}"), v5);
    }

    @Test
    void clientsOnDifferentListenersTalkToEachOther() throws Exception {
        MqttClient overWss = paho("wss://127.0.0.1:" + broker.port(WSS) + "/mqtt", "wss-sub", tlsOptions(false));
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        overWss.subscribe("mixed/#", 1, (t, m) -> got.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
        MqttClient overTls = paho("ssl://127.0.0.1:" + broker.port(TLS), "tls-pub", tlsOptions(true));
        overTls.publish("mixed/x", bytes("from TLS to WSS"), 1, false);
        assertEquals("from TLS to WSS", got.poll(5, TimeUnit.SECONDS));
        overTls.disconnect();
        overTls.close();
        overWss.disconnect();
        overWss.close();
    }
}
