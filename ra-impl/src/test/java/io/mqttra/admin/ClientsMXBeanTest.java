package io.mqttra.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.mqttra.api.management.BrokerMXBean;
import io.mqttra.api.management.ClientDetails;
import io.mqttra.api.management.ClientInfo;
import io.mqttra.api.management.ClientsMXBean;
import io.mqttra.api.management.ManagementNames;
import io.mqttra.api.management.SubscriptionInfo;
import io.mqttra.testing.Await;
import io.mqttra.testing.ServerDisconnect;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Clients MXBean lists sessions as real clients left them, and disconnects and deletes them. */
class ClientsMXBeanTest {

    private AdapterUnderTest adapter;
    private ClientsMXBean clients;

    @BeforeEach
    void start() throws Exception {
        adapter = new AdapterUnderTest();
        clients = adapter.mxbean(ManagementNames.CLIENTS, ClientsMXBean.class);
    }

    @AfterEach
    void stop() {
        adapter.close();
    }

    private MqttClient v3(String clientId, boolean cleanSession) throws Exception {
        MqttClient c = new MqttClient(adapter.uri(), clientId, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(cleanSession);
        c.connect(o);
        return c;
    }

    @Test
    void theListShowsConnectedAndOfflineSessionsWithTheirConnectionAndQueue() throws Exception {
        MqttClient away = v3("away", false);
        away.subscribe("queue/#", 1);
        away.disconnect();
        MqttClient here = v3("here", true);
        for (int i = 0; i < 3; i++) {
            here.publish("queue/" + i, new byte[] {1}, 1, false);
        }
        Await.until(Duration.ofSeconds(10), "3 messages queued for the offline session",
                () -> clients.details("away").client().queued(), n -> n == 3);

        ClientInfo[] all = clients.list(null, false, 0, 100);
        assertEquals(List.of("away", "here"), Arrays.stream(all).map(ClientInfo::clientId).toList(), "ordered by client id");
        ClientInfo offline = all[0];
        assertFalse(offline.connected());
        assertEquals(1, offline.subscriptions());
        assertEquals(3, offline.queued());
        assertEquals(4, offline.protocolLevel(), "MQTT 3.1.1, its last connection's");
        ClientInfo online = all[1];
        assertTrue(online.connected());
        assertEquals(4, online.protocolLevel());
        assertEquals(60, online.keepAliveSeconds(), "Paho's default keep-alive");
        assertTrue(online.address().startsWith("127.0.0.1:"), online.address());
        assertEquals("tcp-0", online.listener());
        assertNull(online.userName(), "an anonymous client");
        assertEquals(0, online.sessionExpirySeconds(), "a clean session ends with its connection");
        assertTrue(System.currentTimeMillis() - online.connectedSince().getTime() < 60_000);
        assertEquals(1, clients.getConnectedCount());
        assertEquals(2, clients.getSessionCount());
        here.disconnect();
    }

    @Test
    void theListIsFilteredAndPaged() throws Exception {
        for (int i = 1; i <= 5; i++) {
            v3("dev-" + i, true);
        }
        v3("other", true);
        assertEquals(List.of("dev-2", "dev-3"), ids(clients.list("dev-*", false, 1, 2)));
        assertEquals(List.of("dev-5"), ids(clients.list("dev-?", false, 4, 10)));
        assertEquals(6, clients.list("127.0.0.1:*", true, 0, 100).length, "the address matches too");
        assertEquals(List.of(), ids(clients.list("nobody*", false, 0, 10)));
        assertThrows(IllegalArgumentException.class, () -> clients.list(null, false, 0, 0), "limit 0");
        assertThrows(IllegalArgumentException.class, () -> clients.list(null, false, -1, 10), "offset -1");
    }

    private static List<String> ids(ClientInfo[] page) {
        return Arrays.stream(page).map(ClientInfo::clientId).toList();
    }

    @Test
    void detailsListTheSubscriptionsWithTheirOptions() {
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier("detailed").serverHost("127.0.0.1")
                .serverPort(adapter.port()).buildBlocking();
        c.connect();
        c.subscribeWith().topicFilter("b/+").qos(MqttQos.EXACTLY_ONCE).noLocal(true).retainAsPublished(true).send();
        c.subscribeWith().topicFilter("$share/g/a/#").qos(MqttQos.AT_LEAST_ONCE).send();

        ClientDetails d = clients.details("detailed");
        assertEquals(5, d.client().protocolLevel());
        assertEquals(2, d.client().subscriptions());
        SubscriptionInfo[] s = d.subscriptions();
        assertEquals(List.of(new SubscriptionInfo("a/#", "g", 1, false, false, 0, s[0].subscriptionId()),
                new SubscriptionInfo("b/+", null, 2, true, true, 0, s[1].subscriptionId())), List.of(s),
                "ordered by the filter as written ($share/g/a/# first)");
        assertTrue(s[0].subscriptionId() > 0, "the identifiers HiveMQ's client gives its subscriptions");
        assertNull(clients.details("nobody"));
        c.disconnect();
    }

    @Test
    void disconnectSendsDisconnectWithAdministrativeAction0x98_MQTT_3_14_2_1() throws Exception {
        MqttAsyncClient paho = new MqttAsyncClient(adapter.uri(), "misbehaving",
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        ServerDisconnect told = new ServerDisconnect();
        paho.setCallback(told);
        paho.connect(new MqttConnectionOptions()).waitForCompletion(5000);

        assertTrue(clients.disconnect("misbehaving"));
        MqttDisconnectResponse r = told.await(10);
        assertEquals(0x98, r.getReturnCode(), "Administrative action");
        Await.until(Duration.ofSeconds(10), "the connection to close", () -> clients.getConnectedCount() == 0);
        assertFalse(clients.disconnect("misbehaving"), "no longer connected");
        paho.close();
    }

    @Test
    void disconnectClosesAnMqtt3ConnectionKeepsItsSessionAndPublishesItsWill() throws Exception {
        MqttClient watcher = v3("watcher", true);
        BlockingQueue<String> wills = new LinkedBlockingQueue<>();
        watcher.subscribe("wills/#", 1, (t, m) -> wills.add(t));
        MqttClient device = new MqttClient(adapter.uri(), "device-7", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        o.setWill("wills/device-7", "gone".getBytes(StandardCharsets.UTF_8), 1, false);
        CompletableFuture<Throwable> lost = new CompletableFuture<>();
        device.setCallback(new LostRecorder(lost));
        device.connect(o);
        device.subscribe("commands/device-7", 1);

        assertTrue(clients.disconnect("device-7"));
        assertNotNull(lost.get(10, TimeUnit.SECONDS), "3.x has no server DISCONNECT: the socket closes");
        assertEquals("wills/device-7", wills.poll(10, TimeUnit.SECONDS), "a connection the server ends publishes its will");
        ClientInfo kept = clients.details("device-7").client();
        assertFalse(kept.connected());
        assertEquals(1, kept.subscriptions(), "the persistent session stays");
        device.close();
        watcher.disconnect();
    }

    @Test
    void deletingAnOfflineSessionRemovesItAndItsSubscriptions() throws Exception {
        BrokerMXBean broker = adapter.mxbean(ManagementNames.BROKER, BrokerMXBean.class);
        int before = broker.getSubscriptions();
        MqttClient c = v3("abandoned", false);
        c.subscribe("a/#", 1);
        c.subscribe("b/#", 1);
        c.disconnect();
        assertEquals(before + 2, broker.getSubscriptions());

        assertTrue(clients.deleteSession("abandoned"));
        assertEquals(0, clients.getSessionCount());
        assertEquals(before, broker.getSubscriptions(), "its subscriptions went with it");
        assertFalse(clients.deleteSession("abandoned"), "nothing left to delete");

        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        IMqttToken token = c.connectWithResult(o);
        assertFalse(token.getSessionPresent(), "the client finds no session [MQTT-3.2.2-2]");
        c.disconnect();
        c.close();
    }

    @Test
    void deletingAConnectedSessionClosesItWith0x98AndEndsIt() throws Exception {
        CompletableFuture<Mqtt5DisconnectReasonCode> reason = new CompletableFuture<>();
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier("forever").serverHost("127.0.0.1")
                .serverPort(adapter.port())
                .addDisconnectedListener(ctx -> {
                    if (ctx.getCause() instanceof Mqtt5DisconnectException e) {
                        reason.complete(e.getMqttMessage().getReasonCode());
                    }
                })
                .buildBlocking();
        c.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
        c.subscribeWith().topicFilter("forever/#").send();

        assertTrue(clients.deleteSession("forever"));
        assertEquals(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION, reason.get(10, TimeUnit.SECONDS));
        Await.until(Duration.ofSeconds(10), "the connection to close", () -> clients.getConnectedCount() == 0);
        assertEquals(0, clients.getSessionCount(), "the session is gone although its expiry was an hour");
        assertNull(clients.details("forever"));
    }

    @Test
    void eachOperationIsLoggedWithTheAdministratorsIdentity() throws Exception {
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger("io.mqttra.admin");
        log.addHandler(capture);
        try {
            v3("noisy", true);
            javax.security.auth.Subject admin = new javax.security.auth.Subject();
            admin.getPrincipals().add(new javax.management.remote.JMXPrincipal("ops-anna"));
            javax.security.auth.Subject.doAs(admin, (java.security.PrivilegedAction<Boolean>) () -> clients.disconnect("noisy"));
            clients.deleteSession("nobody");
        } finally {
            log.removeHandler(capture);
        }
        assertTrue(logged.contains("MQTT-RA administration: ops-anna disconnected client 'noisy' (administrative action)"),
                "logged: " + logged);
        assertTrue(logged.contains("MQTT-RA administration: unknown asked to delete the session of client 'nobody', which has none"),
                "logged: " + logged);
    }

    /** Paho v3's callback, keeping why the connection was lost. */
    private record LostRecorder(CompletableFuture<Throwable> lost) implements MqttCallback {
        @Override
        public void connectionLost(Throwable cause) {
            lost.complete(cause);
        }

        @Override
        public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
        }

        @Override
        public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
        }
    }
}
