package io.mqttra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.api.MqttMessage;
import io.mqttra.it.inbound.Attempts;
import io.mqttra.it.inbound.NativeReceived;
import io.mqttra.it.outbound.V5Subscriber;
import io.mqttra.testing.Await;
import jakarta.ejb.EJB;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import javax.naming.InitialContext;
import javax.sql.DataSource;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.Archive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Messages reach transactional beans exactly once: a message leaves the subscription only when the
 * bean's transaction commits; a rollback redelivers it with the redelivery headers; a message that
 * keeps failing ends on the dead-letter topic.
 */
@ExtendWith(ArquillianExtension.class)
class InboundTransactionsIT {

    @Deployment(name = "rar", order = 1, testable = false)
    static Archive<?> rar() {
        return Deployments.rar();
    }

    @Deployment(order = 2) // unnamed: the default deployment, which the tests run in
    static Archive<?> app() {
        return Deployments.jmsAndAdapterWar("inbound-tx-it.war")
                .addPackage(Attempts.class.getPackage())
                .addPackage(Await.class.getPackage())
                .addClasses(Deployments.class, TestUsers.class, V5Subscriber.class, V5Subscriber.Received.class)
                .addAsLibraries(Deployments.pahoJar(), Deployments.pahoV5Jar());
    }

    @EJB
    private Attempts attempts;

    @EJB
    private NativeReceived nativeReceived;

    @EJB
    private io.mqttra.it.inbound.Concurrency concurrency;

    private static DataSource database() throws Exception {
        return (DataSource) new InitialContext().lookup("java:comp/DefaultDataSource");
    }

    private static long query(String sql) throws Exception {
        try (Connection c = database().getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void thousandOrdersFromFivePublishersEndAsExactlyThousandRows() throws Exception {
        try (Connection c = database().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS IT_ORDERS (ID VARCHAR(64))"); // no key: duplicates would show
            s.execute("DELETE FROM IT_ORDERS");
        }
        ExecutorService publishers = Executors.newFixedThreadPool(5);
        List<Future<?>> done = new ArrayList<>();
        for (int p = 0; p < 5; p++) {
            int publisher = p;
            done.add(publishers.submit(() -> {
                MqttClient client = new MqttClient("tcp://127.0.0.1:1883", "orders-" + publisher, new MemoryPersistence());
                org.eclipse.paho.client.mqttv3.MqttConnectOptions options = TestUsers.device();
                options.setMaxInflight(100); // Paho's synchronous publish can trip its own limit of 10 in a tight loop
                client.connect(options);
                for (int i = 0; i < 200; i++) {
                    client.publish("it/orders/" + publisher, ("order-" + publisher + "-" + i).getBytes(StandardCharsets.UTF_8),
                            1, false);
                }
                // the bean takes a topic's messages in order, a failed one holding back the rest until it commits:
                // once this marker is written, every order of this publisher is, and none is still to come again
                client.publish("it/orders/" + publisher, ("end-" + publisher + "-201").getBytes(StandardCharsets.UTF_8), 1, false);
                client.disconnect();
                client.close();
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        publishers.shutdown();
        Await.until(Duration.ofSeconds(90), "the five publishers' end markers in IT_ORDERS",
                () -> query("SELECT COUNT(*) FROM IT_ORDERS WHERE ID LIKE 'end-%'") == 5);
        assertEquals(1000, query("SELECT COUNT(DISTINCT ID) FROM IT_ORDERS WHERE ID LIKE 'order-%'"), "every order written");
        assertEquals(1000, query("SELECT COUNT(*) FROM IT_ORDERS WHERE ID LIKE 'order-%'"),
                "none twice, although 30% of first deliveries rolled back after their insert");
    }

    private static void publish(String topic, String payload) throws Exception {
        MqttClient client = new MqttClient("tcp://127.0.0.1:1883", "flaky-pub-" + payload, new MemoryPersistence());
        client.connect(TestUsers.device());
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
        client.disconnect();
        client.close();
    }

    @Test
    void failedDeliveryIsRedeliveredWithRedeliveryHeaders() throws Exception {
        attempts.clear();
        publish("it/flaky", "once");
        List<Attempts.Attempt> seen = Await.until(Duration.ofSeconds(10), "a failed and a second delivery of \"once\"",
                () -> attempts.of("flaky", "once"), a -> a.size() >= 2);
        assertEquals(2, seen.size(), "failed once, then delivered: " + seen);
        assertEquals(new Attempts.Attempt("flaky", "once", 1, false), seen.get(0));
        assertEquals(new Attempts.Attempt("flaky", "once", 2, true), seen.get(1));
        List<String> ids = attempts.messageIdsOf("flaky", "once");
        assertEquals(2, ids.size(), "both attempts report their JMSMessageID: " + ids);
        assertTrue(ids.get(0).startsWith("ID:"), ids.get(0));
        assertEquals(ids.get(0), ids.get(1), "a redelivery is the same message: a bean can de-duplicate by JMSMessageID");
    }

    @Test
    void poisonMessageGoesToTheDeadLetterTopicAfterMaxRedeliveries() throws Exception {
        attempts.clear();
        try (V5Subscriber dead = new V5Subscriber("dead-letter-watcher", "it/dead-letters", 1)) {
            publish("it/flaky", "poison");
            V5Subscriber.Received r = dead.next(15);
            assertNotNull(r, "nothing on the dead-letter topic");
            assertEquals("poison", r.text());
            Map<String, String> props = r.message().getProperties().getUserProperties().stream()
                    .collect(Collectors.toMap(p -> p.getKey(), p -> p.getValue(), (a, b) -> b));
            assertEquals("it/flaky", props.get("originalTopic"));
            assertEquals("3", props.get("deliveryCount"), "1 delivery + maxRedeliveries 2");
            assertTrue(props.get("failureReason").contains("cannot process poison"), props.toString());
            assertTrue(props.get("consumer").endsWith("FlakyMdb"), props.toString());
            assertEquals(3, attempts.of("flaky", "poison").size());
        }
    }

    @Test
    void nativeListenerGetsTheMqttMessageItselfAndIsRedeliveredToo() throws Exception {
        org.eclipse.paho.mqttv5.client.MqttClient client = new org.eclipse.paho.mqttv5.client.MqttClient(
                "tcp://127.0.0.1:1883", "native-pub", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        client.connect(V5Subscriber.deviceOptions());
        org.eclipse.paho.mqttv5.common.MqttMessage m = new org.eclipse.paho.mqttv5.common.MqttMessage(
                "22.5".getBytes(StandardCharsets.UTF_8));
        m.setQos(2);
        org.eclipse.paho.mqttv5.common.packet.MqttProperties props = new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
        props.setContentType("text/plain");
        props.setUserProperties(List.of(new org.eclipse.paho.mqttv5.common.packet.UserProperty("unit", "C")));
        m.setProperties(props);
        client.publish("it/native/hall", m);
        client.publish("it/native/hall", new org.eclipse.paho.mqttv5.common.MqttMessage("fail-once".getBytes(StandardCharsets.UTF_8)));
        client.disconnect();
        client.close();

        MqttMessage received = nativeReceived.next(10);
        assertNotNull(received);
        assertEquals("it/native/hall", received.topic());
        assertEquals("22.5", received.payloadAsString());
        assertEquals(2, received.qos());
        assertEquals("native-pub", received.publisherClientId());
        assertEquals("text/plain", received.contentType());
        assertEquals(List.of(Map.entry("unit", "C")), received.userProperties());
        assertEquals(1, received.deliveryCount());

        MqttMessage first = nativeReceived.next(10);
        MqttMessage second = nativeReceived.next(10);
        assertEquals("fail-once", first.payloadAsString());
        assertEquals(1, first.deliveryCount());
        assertEquals("fail-once", second.payloadAsString());
        assertTrue(second.redelivered(), "redelivered after the failure");
    }

    @Test
    void beansWithTheSameShareNameSplitTheMessages() throws Exception {
        attempts.clear();
        MqttClient client = new MqttClient("tcp://127.0.0.1:1883", "jobs-pub", new MemoryPersistence());
        org.eclipse.paho.client.mqttv3.MqttConnectOptions options = TestUsers.device();
        options.setMaxInflight(100);
        client.connect(options);
        for (int i = 0; i < 100; i++) {
            client.publish("it/jobs/" + (i % 3), ("job-" + i).getBytes(StandardCharsets.UTF_8), 1, false);
        }
        // markers: the group hands messages to its beans in turn, so two rounds over the three topics give each
        // bean one on each topic; a bean takes a topic's messages in order, so once it has handled its marker
        // there, no job on that topic is still to come to it
        for (int round = 1; round <= 2; round++) {
            for (int topic = 0; topic < 3; topic++) {
                client.publish("it/jobs/" + topic, ("marker " + topic + " " + round).getBytes(StandardCharsets.UTF_8), 1, false);
            }
        }
        client.disconnect();
        client.close();
        List<Attempts.Attempt> markers = Await.until(Duration.ofSeconds(20), "the six markers handled",
                () -> attempts.ofBeanPrefix("worker-").stream().filter(x -> x.payload().startsWith("marker ")).toList(),
                m -> m.size() >= 6);
        assertEquals(Set.of("worker-A 0", "worker-A 1", "worker-A 2", "worker-B 0", "worker-B 1", "worker-B 2"),
                markers.stream().map(m -> m.bean() + " " + m.payload().split(" ")[1]).collect(Collectors.toSet()),
                "each bean handled a marker on each topic: " + markers);
        List<Attempts.Attempt> all = attempts.ofBeanPrefix("worker-").stream().filter(x -> x.payload().startsWith("job-"))
                .toList();
        assertEquals(100, all.size(), "each job once");
        assertEquals(100, all.stream().map(Attempts.Attempt::payload).distinct().count());
        long a = all.stream().filter(x -> x.bean().equals("worker-A")).count();
        assertTrue(a > 0 && a < 100, "both beans got a share: A had " + a);
    }

    @Test
    void messageSelectorPicksWhatTheBeanGetsAndOthersStillGetEverything() throws Exception {
        attempts.clear();
        try (V5Subscriber everything = new V5Subscriber("select-watcher", "it/select/#", 1)) {
            org.eclipse.paho.mqttv5.client.MqttClient client = new org.eclipse.paho.mqttv5.client.MqttClient(
                    "tcp://127.0.0.1:1883", "select-pub", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
            client.connect(V5Subscriber.deviceOptions());
            // the last one is a marker the bean must take: it takes the topic's messages in arrival order, so
            // once it has the marker, any other one it were to get would already be there
            String[][] readings = {{"celsius-q1", "C", "1"}, {"fahrenheit-q1", "F", "1"}, {"celsius-q0", "C", "0"},
                {"celsius-marker", "C", "1"}};
            for (String[] r : readings) {
                org.eclipse.paho.mqttv5.common.MqttMessage m = new org.eclipse.paho.mqttv5.common.MqttMessage(
                        r[0].getBytes(StandardCharsets.UTF_8));
                m.setQos(Integer.parseInt(r[2]));
                org.eclipse.paho.mqttv5.common.packet.MqttProperties props = new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
                props.setUserProperties(List.of(new org.eclipse.paho.mqttv5.common.packet.UserProperty("unit", r[1])));
                m.setProperties(props);
                client.publish("it/select/hall", m);
            }
            client.disconnect();
            client.close();
            for (String[] r : readings) {
                assertNotNull(everything.next(10), "the plain subscriber gets every one");
            }
            List<String> selected = Await.until(Duration.ofSeconds(10), "the marker at the selective bean",
                    () -> attempts.ofBeanPrefix("selective").stream().map(Attempts.Attempt::payload).toList(),
                    p -> p.contains("celsius-marker"));
            assertEquals(List.of("celsius-q1", "celsius-marker"), selected);
        }
    }

    @Test
    void maxSessionsOneKeepsPublishOrderAndMoreRunInParallel() throws Exception {
        MqttClient client = new MqttClient("tcp://127.0.0.1:1883", "concurrency-pub", new MemoryPersistence());
        org.eclipse.paho.client.mqttv3.MqttConnectOptions options = TestUsers.device();
        options.setMaxInflight(100);
        client.connect(options);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add("m" + i);
            client.publish("it/ordered", ("m" + i).getBytes(StandardCharsets.UTF_8), 1, false);
            client.publish("it/parallel", ("m" + i).getBytes(StandardCharsets.UTF_8), 1, false);
        }
        client.disconnect();
        client.close();
        Await.until(Duration.ofSeconds(20), "20 deliveries to each bean",
                () -> concurrency.order("it/ordered").size() >= 20 && concurrency.order("it/parallel").size() >= 20);
        assertEquals(sent, concurrency.order("it/ordered"), "maxSessions=1: one at a time, in publish order");
        assertEquals(1, concurrency.peak("it/ordered"));
        assertEquals(20, concurrency.order("it/parallel").size());
        assertTrue(concurrency.peak("it/parallel") >= 2 && concurrency.peak("it/parallel") <= 5,
                "maxSessions=5: several at once, never more than 5; measured " + concurrency.peak("it/parallel"));
    }

    /** ordering=PER_TOPIC (the default): each topic in publish order, a failed message holding back its topic; topics in parallel. */
    @Test
    void perTopicOrderingKeepsEachTopicsOrderAndRunsTopicsInParallel() throws Exception {
        MqttClient client = new MqttClient("tcp://127.0.0.1:1883", "per-topic-pub", new MemoryPersistence());
        org.eclipse.paho.client.mqttv3.MqttConnectOptions options = TestUsers.device();
        options.setMaxInflight(100);
        client.connect(options);
        java.util.Map<String, List<String>> sent = new java.util.TreeMap<>();
        for (int i = 0; i < 10; i++) {
            for (int d = 0; d < 4; d++) {
                String topic = "it/per-topic/d" + d;
                String body = d == 0 && i == 2 ? "fail-once" : "m" + i;
                sent.computeIfAbsent(topic, t -> new ArrayList<>()).add(body);
                client.publish(topic, body.getBytes(StandardCharsets.UTF_8), 1, false);
            }
        }
        client.disconnect();
        client.close();
        Await.until(Duration.ofSeconds(20), "40 deliveries that succeeded",
                () -> concurrency.order("it/per-topic").size() >= 40);
        for (var e : sent.entrySet()) {
            assertEquals(e.getValue(), concurrency.order(e.getKey()), "publish order on " + e.getKey()
                    + " (d0's fail-once holds back the later ones until it is redelivered)");
            assertEquals(1, concurrency.peak(e.getKey()), "one at a time per topic");
        }
        int peak = concurrency.peak("it/per-topic");
        assertTrue(peak >= 2 && peak <= 4, "topics run in parallel, at most maxSessions=4; measured " + peak);
    }

    @Test
    void noLocalBeanDoesNotReceiveWhatTheServersApplicationsPublish() throws Exception {
        MqttClient client = new MqttClient("tcp://127.0.0.1:1883", "nolocal-pub", new MemoryPersistence());
        client.connect(TestUsers.device());
        java.util.concurrent.BlockingQueue<String> onTopic = new java.util.concurrent.LinkedBlockingQueue<>();
        client.subscribe("it/nolocal/a", 1, (t, m) -> onTopic.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
        client.publish("it/nolocal/a", "device".getBytes(StandardCharsets.UTF_8), 1, false);
        assertEquals("device", onTopic.poll(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals("from-server after device", onTopic.poll(10, java.util.concurrent.TimeUnit.SECONDS),
                "the bean's answer is on the topic it consumes");
        // the answer was routed before it reached us, so had the bean got it, it would be ahead of "device 2"
        // on the topic the bean takes in order
        client.publish("it/nolocal/a", "device 2".getBytes(StandardCharsets.UTF_8), 1, false);
        List<String> got = Await.until(Duration.ofSeconds(10), "\"device 2\" at the bean",
                () -> concurrency.order("it/nolocal"), o -> o.contains("device 2"));
        assertEquals(List.of("device", "device 2"), got.subList(0, got.indexOf("device 2") + 1),
                "but the bean did not get its own answer");
        client.disconnect();
        client.close();
    }

    @Test
    void aSlowBeansQueueIsBoundedByMaxQueued() throws Exception {
        MqttClient client = new MqttClient("tcp://127.0.0.1:1883", "flood-pub", new MemoryPersistence());
        org.eclipse.paho.client.mqttv3.MqttConnectOptions options = TestUsers.device();
        options.setMaxInflight(100);
        client.connect(options);
        for (int i = 0; i < 30; i++) {
            client.publish("it/bounded", ("f" + i).getBytes(StandardCharsets.UTF_8), 1, false);
        }
        // a marker, offered until the bean takes one (while the queue is full it is dropped like the flood): the
        // bean takes one message at a time in arrival order, so by then it has had every message the queue kept
        int[] offered = {0};
        Await.until(Duration.ofSeconds(20), "a marker handled after the flood", () -> {
            client.publish("it/bounded", ("marker " + offered[0]++).getBytes(StandardCharsets.UTF_8), 1, false);
            return concurrency.order("it/bounded").stream().anyMatch(p -> p.startsWith("marker "));
        });
        client.disconnect();
        client.close();
        List<String> processed = concurrency.order("it/bounded").stream().filter(p -> p.startsWith("f")).toList();
        assertTrue(processed.size() >= 5 && processed.size() <= 8,
                "one in the bean, 5 waiting, the rest dropped (DROP_NEW): processed " + processed);
        assertEquals("f0", processed.get(0), "the first ones are kept");
    }
}
