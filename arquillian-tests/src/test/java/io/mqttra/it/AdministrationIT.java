package io.mqttra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.api.management.ActivationMXBean;
import io.mqttra.api.management.BrokerMXBean;
import io.mqttra.api.management.ClientInfo;
import io.mqttra.api.management.ClientsMXBean;
import io.mqttra.api.management.DeadLetterInfo;
import io.mqttra.api.management.DeadLettersMXBean;
import io.mqttra.api.management.ListenerInfo;
import io.mqttra.api.management.ManagementNames;
import io.mqttra.api.management.SubscriberInfo;
import io.mqttra.api.management.RetainedMXBean;
import io.mqttra.api.management.SubscriptionsMXBean;
import io.mqttra.api.management.TopicInfo;
import io.mqttra.api.management.TopicLevelInfo;
import io.mqttra.api.management.TopicsMXBean;
import io.mqttra.it.admin.AdminOrdersMdb;
import io.mqttra.it.admin.AdminProbeServlet;
import io.mqttra.it.admin.OrdersState;
import io.mqttra.it.liberty.LibertyServer;
import io.mqttra.testing.Await;
import io.mqttra.testing.ServerDisconnect;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.Archive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The adapter's MXBeans, read inside the server through the platform MBean server (a servlet that has
 * none of the adapter's classes) and from outside through the server's remote JMX ({@link RemoteJmx}:
 * WildFly's management port, Liberty's REST connector), checked against traffic the test produced; and
 * their operations, each as an operator would use it: disconnect (a Paho v5 client sees 0x98, and the
 * server's log names the administrator), delete a session, purge retained messages, pause and resume a
 * bean, replay a dead letter. Runs on both servers.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdministrationIT {

    private static final String BROKER_URI = "tcp://127.0.0.1:1883";
    private static final String BEAN = AdminOrdersMdb.class.getName();
    private static final String DEAD_LETTERS = "it/admin/dead-letters";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static JMXConnector connector;

    @Deployment(name = "rar", order = 1, testable = false)
    static Archive<?> rar() {
        return Deployments.rar();
    }

    @Deployment(name = "app", order = 2, testable = false)
    static Archive<?> app() {
        return Deployments.jmsWar("admin-it.war").addClasses(AdminOrdersMdb.class, OrdersState.class, AdminProbeServlet.class);
    }

    @ArquillianResource
    @OperateOnDeployment("app")
    private URL app;

    /** The server's remote JMX (WildFly's management port, Liberty's REST connector), logged in as the administrator. */
    private static MBeanServerConnection remote() throws Exception {
        if (connector == null) {
            connector = RemoteJmx.connect();
        }
        return connector.getMBeanServerConnection();
    }

    @AfterAll
    static void disconnect() throws Exception {
        if (connector != null) {
            connector.close();
        }
    }

    private static <T> T mxbean(String name, Class<T> type) throws Exception {
        return JMX.newMXBeanProxy(remote(), ManagementNames.name(name), type);
    }

    /** An attribute as the servlet inside the server reads it from the platform MBean server. */
    private String local(ObjectName name, String attribute) throws Exception {
        return get("admin-probe/mbean?name=" + URLEncoder.encode(name.toString(), StandardCharsets.UTF_8)
                + "&attribute=" + attribute);
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return r.body();
    }

    private static MqttClient device(String clientId, boolean cleanSession) throws Exception {
        MqttClient c = new MqttClient(BROKER_URI, clientId, new MemoryPersistence());
        MqttConnectOptions o = TestUsers.device();
        o.setCleanSession(cleanSession);
        c.connect(o);
        return c;
    }

    @Test
    void theFiguresReadLocallyAndRemotelyMatchTheTrafficOfTheTest() throws Exception {
        BrokerMXBean broker = mxbean(ManagementNames.BROKER, BrokerMXBean.class);
        long received = broker.getMessagesReceived();
        long sent = broker.getMessagesSent();

        MqttClient c = device("admin-it-traffic", true);
        CountDownLatch echoed = new CountDownLatch(5);
        c.subscribe("it/admin/echo", 1, (t, m) -> echoed.countDown());
        for (int i = 0; i < 5; i++) {
            c.publish("it/admin/echo", new byte[50], 1, false);
        }
        assertTrue(echoed.await(10, TimeUnit.SECONDS));

        assertEquals(received + 5, broker.getMessagesReceived(), "the five publishes, remotely");
        Await.until(WAIT, "the five deliveries counted", broker::getMessagesSent, n -> n == sent + 5);
        double rate = Await.until(Duration.ofSeconds(2L * broker.getRateIntervalSeconds() + 2), "the burst in the received rate",
                broker::getMessagesReceivedPerSecond, r -> r > 0);
        ObjectName brokerName = ManagementNames.name(ManagementNames.BROKER);
        assertEquals(String.valueOf(broker.getMessagesReceived()), local(brokerName, "MessagesReceived"), "the same, locally");
        ListenerInfo tcp = Arrays.stream(broker.getListeners()).filter(l -> l.address().equals("tcp://0.0.0.0:1883"))
                .findFirst().orElseThrow();
        assertTrue(tcp.connections() >= 1, "our connection: " + tcp);
        assertTrue(local(brokerName, "Listeners").contains("address=tcp://0.0.0.0:1883"), "locally, as CompositeData");

        ClientInfo[] mine = mxbean(ManagementNames.CLIENTS, ClientsMXBean.class).list("admin-it-traffic", true, 0, 10);
        assertEquals(1, mine.length);
        assertEquals(TestUsers.DEVICE, mine[0].userName(), "the user the server's security authenticated");
        assertEquals(4, mine[0].protocolLevel());
        assertEquals("tcp-1883", mine[0].listener());
        assertEquals(1, mine[0].subscriptions());
        // the same operation without the adapter's classes, as JConsole calls it: open types only
        Object raw = remote().invoke(ManagementNames.name(ManagementNames.CLIENTS), "list",
                new Object[] {"admin-it-traffic", true, 0, 10},
                new String[] {String.class.getName(), "boolean", "int", "int"});
        assertEquals(TestUsers.DEVICE, ((CompositeData[]) raw)[0].get("userName"));

        ObjectName activation = ManagementNames.activation(BEAN);
        assertTrue(remote().isRegistered(activation), activation + " registered");
        assertEquals("it/admin/orders/#", local(activation, "TopicFilter"));
        c.disconnect();
        c.close();
        System.out.println("Broker MXBean, remote: received " + broker.getMessagesReceived() + ", sent " + broker.getMessagesSent()
                + ", received/s " + rate + ", sessions " + broker.getSessions() + ", subscriptions " + broker.getSubscriptions()
                + ", listeners "
                + List.of(broker.getListeners()) + "; local Listeners: " + local(brokerName, "Listeners"));
    }

    @Test
    void disconnectSendsAnMqtt5ClientDisconnectWithAdministrativeActionAndIsLoggedWithTheOperator() throws Exception {
        String clientId = "admin-it-v5-" + UUID.randomUUID().toString().substring(0, 8); // server.log keeps earlier runs
        MqttAsyncClient paho = new MqttAsyncClient(BROKER_URI, clientId, new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        ServerDisconnect told = new ServerDisconnect();
        paho.setCallback(told);
        paho.connect(TestUsers.deviceV5()).waitForCompletion(10_000);

        assertTrue(mxbean(ManagementNames.CLIENTS, ClientsMXBean.class).disconnect(clientId));
        MqttDisconnectResponse r = told.await(10);
        assertEquals(0x98, r.getReturnCode(), "Administrative action");
        paho.close();

        String line = ServerLog.awaitLine(WAIT, "disconnected client '" + clientId + "'");
        System.out.println("Logged: " + line);
        assertTrue(line.contains("MQTT-RA administration: " + TestUsers.ADMIN + " disconnected client '" + clientId + "'"), line);
    }

    @Test
    void theSubscriptionsMXBeanFindsWhoReceivesATopicRemotely() throws Exception {
        MqttClient c = device("admin-it-subscriber", true);
        c.subscribe("it/admin/orders/+/paid", 1);
        SubscriptionsMXBean subscriptions = mxbean(ManagementNames.SUBSCRIPTIONS, SubscriptionsMXBean.class);

        SubscriberInfo[] found = subscriptions.find("it/admin/orders/7/paid", 0, 100);
        assertEquals(List.of("it/admin/orders/# MDB " + BEAN + " false", "it/admin/orders/+/paid admin-it-subscriber true"),
                Arrays.stream(found).map(s -> s.filter() + " " + s.subscriber() + " " + s.mqttClient()).toList(),
                "the bean's activation and the client, by filter");
        assertEquals(1, found[1].qos());
        assertEquals(2, subscriptions.count("it/admin/orders/#"));
        assertEquals(1, subscriptions.count("it/admin/orders/7/shipped"), "the bean only");
        assertTrue(subscriptions.getCount() >= 2);
        // as JConsole calls it, without the adapter's classes: open types only
        Object raw = remote().invoke(ManagementNames.name(ManagementNames.SUBSCRIPTIONS), "find",
                new Object[] {"it/admin/orders/7/paid", 1, 1}, new String[] {String.class.getName(), "int", "int"});
        assertEquals("admin-it-subscriber", ((CompositeData[]) raw)[0].get("subscriber"));
        c.disconnect();
        c.close();
        Await.until(WAIT, "a clean session's subscription to go with it", () -> subscriptions.count("it/admin/orders/#"),
                n -> n == 1);
    }

    @Test
    void theTopicsMXBeanCountsEachTopicAndAddsUpTheTreeRemotelyAndLocally() throws Exception {
        String root = "it/admin/topics-" + UUID.randomUUID().toString().substring(0, 8);
        MqttClient c = device("admin-it-topics", true);
        for (int i = 0; i < 3; i++) {
            c.publish(root + "/hall/temp", ("2" + i + ".5").getBytes(StandardCharsets.UTF_8), 1, false);
        }
        c.publish(root + "/hall/light", "on".getBytes(StandardCharsets.UTF_8), 0, true);
        c.publish(root + "/blob", new byte[] {(byte) 0xca, (byte) 0xfe, 0}, 1, false);
        c.publish(root + "/hall/light", new byte[0], 1, true); // clears the retained message: one more on the topic
        c.disconnect();
        c.close();

        TopicsMXBean topics = mxbean(ManagementNames.TOPICS, TopicsMXBean.class);
        TopicInfo[] found = topics.list(root + "/#", 0, 10);
        assertEquals(List.of(root + "/blob 1", root + "/hall/light 2", root + "/hall/temp 3"),
                Arrays.stream(found).map(t -> t.topic() + " " + t.messages()).toList());
        assertEquals("cafe00", found[0].lastPayloadPreview());
        assertEquals("hex", found[0].lastPayloadFormat());
        assertEquals("22.5", found[2].lastPayloadPreview());
        assertEquals(3, topics.count(root + "/#"));
        TopicLevelInfo[] levels = topics.children(root, 0, 10);
        assertEquals(List.of("blob 1 1", "hall 5 2"), Arrays.stream(levels).map(l -> l.level() + " " + l.messages() + " " + l.topics()).toList());
        assertEquals(10_000, topics.getMaxTrackedTopics(), "the default");
        // as JConsole calls it, without the adapter's classes: open types only
        Object raw = remote().invoke(ManagementNames.name(ManagementNames.TOPICS), "children",
                new Object[] {root + "/hall", 0, 10}, new String[] {String.class.getName(), "int", "int"});
        assertEquals(3L, ((CompositeData[]) raw)[1].get("messages"));
        assertEquals(String.valueOf(topics.getCount()), local(ManagementNames.name(ManagementNames.TOPICS), "Count"), "locally");
    }

    @Test
    void deletingAnOfflineSessionEndsIt() throws Exception {
        BrokerMXBean broker = mxbean(ManagementNames.BROKER, BrokerMXBean.class);
        MqttClient c = device("admin-it-abandoned", false);
        c.subscribe("it/admin/abandoned/#", 1);
        c.disconnect();
        int sessions = broker.getSessions();
        int subscriptions = broker.getSubscriptions();

        assertTrue(mxbean(ManagementNames.CLIENTS, ClientsMXBean.class).deleteSession("admin-it-abandoned"));
        assertEquals(sessions - 1, broker.getSessions());
        assertEquals(subscriptions - 1, broker.getSubscriptions());
        assertNull(mxbean(ManagementNames.CLIENTS, ClientsMXBean.class).details("admin-it-abandoned"));
        MqttConnectOptions o = TestUsers.device();
        o.setCleanSession(false);
        assertFalse(c.connectWithResult(o).getSessionPresent(), "the client finds no session");
        c.disconnect();
        c.close();
    }

    @Test
    void purgingRetainedMessagesUnderAFilterDeletesExactlyThose() throws Exception {
        MqttClient c = device("admin-it-retain", true);
        c.publish("it/admin/retained/a", "1".getBytes(StandardCharsets.UTF_8), 1, true);
        c.publish("it/admin/retained/b", "2".getBytes(StandardCharsets.UTF_8), 1, true);
        c.publish("it/admin/kept", "3".getBytes(StandardCharsets.UTF_8), 1, true);
        RetainedMXBean retained = mxbean(ManagementNames.RETAINED, RetainedMXBean.class);
        assertEquals(2, retained.count("it/admin/retained/#"));
        int before = retained.getCount();

        assertEquals(2, retained.deleteMatching("it/admin/retained/#"));
        assertEquals(before - 2, retained.getCount());
        assertEquals(String.valueOf(before - 2), local(ManagementNames.name(ManagementNames.BROKER), "RetainedMessages"));
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        c.subscribe("it/admin/#", 1, (t, m) -> got.add(t));
        assertEquals("it/admin/kept", got.poll(10, TimeUnit.SECONDS));
        assertNull(got.poll(500, TimeUnit.MILLISECONDS), "the purged ones are not retained any more");
        retained.delete("it/admin/kept");
        c.disconnect();
        c.close();
    }

    @Test
    void aPausedBeanQueuesAndResumeDeliversWhatQueued() throws Exception {
        ActivationMXBean bean = JMX.newMXBeanProxy(remote(), ManagementNames.activation(BEAN), ActivationMXBean.class);
        long delivered = bean.getDelivered();
        bean.pause();
        assertEquals("PAUSED", bean.getState());
        MqttClient c = device("admin-it-orders", true);
        for (int i = 1; i <= 3; i++) {
            c.publish("it/admin/orders/" + i, ("paused-" + i).getBytes(StandardCharsets.UTF_8), 1, false);
        }
        assertEquals(3, bean.getQueued(), "acknowledged messages wait in the bean's queue");
        assertEquals("3", local(ManagementNames.activation(BEAN), "Queued"));
        assertEquals(delivered, bean.getDelivered());
        assertFalse(get("admin-probe/processed").contains("paused-"), "none processed while paused");

        bean.resume();
        Await.until(WAIT, "the three to be delivered", bean::getDelivered, n -> n == delivered + 3);
        assertTrue(get("admin-probe/processed").lines().toList().containsAll(List.of("paused-1", "paused-2", "paused-3")));
        assertEquals(0, bean.getQueued());
        assertEquals("ACTIVE", bean.getState());
        c.disconnect();
        c.close();
    }

    @Test
    void aDeadLetterIsListedAndReplayedToItsOriginalTopic() throws Exception {
        DeadLettersMXBean deadLetters = mxbean(ManagementNames.DEAD_LETTERS, DeadLettersMXBean.class);
        deadLetters.purge(DEAD_LETTERS); // a previous run's, kept in the store
        ActivationMXBean bean = JMX.newMXBeanProxy(remote(), ManagementNames.activation(BEAN), ActivationMXBean.class);
        long deadLettered = bean.getDeadLettered();
        MqttClient c = device("admin-it-poison", true);
        c.publish("it/admin/orders/7", "poison-7".getBytes(StandardCharsets.UTF_8), 1, false);

        DeadLetterInfo[] kept = Await.until(WAIT, "the dead letter to be kept", () -> deadLetters.list(DEAD_LETTERS, 0, 10),
                all -> all.length == 1);
        assertEquals("it/admin/orders/7", kept[0].originalTopic());
        assertEquals(BEAN, kept[0].consumer());
        assertEquals(2, kept[0].deliveryCount());
        assertTrue(kept[0].failureReason().contains("cannot process poison-7"), kept[0].failureReason());
        assertEquals(TestUsers.DEVICE, kept[0].publisherUserName());
        assertEquals(deadLettered + 1, bean.getDeadLettered());
        assertTrue(bean.getLastError().contains("cannot process poison-7"), bean.getLastError());

        get("admin-probe/cure");
        assertTrue(deadLetters.replay(kept[0].messageId()));
        Await.until(WAIT, "the replayed letter to be processed", () -> get("admin-probe/processed").contains("poison-7"));
        assertEquals(0, deadLetters.list(DEAD_LETTERS, 0, 10).length, "no longer kept");
        c.disconnect();
        c.close();
    }

    /**
     * The adapter's configuration as Liberty's tools see it (Liberty only): the server.xml include through the REST
     * connector's file service, which Admin Center's Server Config tool opens and saves files with; and the
     * running server's configuration schema (its schema generator MBean's {@code generate}), in which the
     * adapter's properties are attributes of {@code properties.mqtt-ra}, each with its ra.xml description. The
     * tool's design view reads the installation's schema instead, which has no adapter in it (README).
     */
    @Test
    @EnabledIfSystemProperty(named = "arquillian.launch", matches = "liberty.*", disabledReason = "Liberty's Admin Center")
    void libertysServerConfigToolSeesTheAdaptersConfigurationAndItsProperties() throws Exception {
        Path include = LibertyServer.dir().resolve("mqtt-ra.xml");
        HttpResponse<String> file = HttpClient.newBuilder().sslContext(RemoteJmx.libertyTls()).build().send(HttpRequest.newBuilder(
                        URI.create("https://localhost:9443/IBMJMXConnectorREST/file/"
                                + URLEncoder.encode(include.toString(), StandardCharsets.UTF_8)))
                        .header("Authorization", TestUsers.basicAuthorization(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, file.statusCode(), file.body());
        assertTrue(file.body().contains("<resourceAdapter id=\"mqtt-ra\""), file.body());

        // the running server's schema: the adapter's properties are generated when Liberty installs the RAR
        ObjectName generator = new ObjectName("WebSphere:name=com.ibm.ws.config.serverSchemaGenerator");
        String generated = (String) remote().invoke(generator, "generate", new Object[0], new String[0]);
        String schema = generated.startsWith("<") ? generated : Files.readString(Path.of(generated), StandardCharsets.UTF_8);
        int at = schema.indexOf("name=\"maxPacketSize\"");
        assertTrue(schema.contains("properties.mqtt-ra") && at > 0, "the adapter's properties in the server's schema");
        assertTrue(schema.contains("name=\"aclRules\""), "aclRules too");
        assertTrue(schema.substring(at, Math.min(schema.length(), at + 400)).contains("Largest MQTT packet accepted"),
                "with its description from ra.xml");
        System.out.println("The server's schema, maxPacketSize: " + schema.substring(at, Math.min(schema.length(), at + 600)));
    }
}
