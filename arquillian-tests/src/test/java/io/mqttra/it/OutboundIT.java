package io.mqttra.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.api.MqttConnection;
import io.mqttra.api.MqttConnectionFactory;
import io.mqttra.api.MqttJmsProperties;
import io.mqttra.it.outbound.DeliveredPayloads;
import io.mqttra.it.outbound.V5Subscriber;
import io.mqttra.testing.Await;
import jakarta.ejb.EJB;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.transaction.UserTransaction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import javax.naming.InitialContext;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.Archive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Applications publish to MQTT clients through the adapter's connection factories, inside their
 * transactions. Runs inside WildFly; MQTT subscribers are Paho v5 clients and an MDB.
 */
@ExtendWith(ArquillianExtension.class)
class OutboundIT {

    /** The real adapter, its activation extended with a Topic admin object bound in JNDI. */
    @Deployment(name = "rar", order = 1, testable = false)
    static Archive<?> rar() {
        return Deployments.rarWith(Deployments.RAR_NAME, "", """
                  <admin-objects>
                    <admin-object class-name="io.mqttra.jms.MqttTopic" jndi-name="java:/mqtt/topic/alerts" pool-name="alerts">
                      <config-property name="name">alerts/site-1</config-property>
                    </admin-object>
                  </admin-objects>""");
    }

    @Deployment(order = 2) // unnamed: the default deployment, which the tests run in
    static Archive<?> app() {
        return Deployments.jmsAndAdapterWar("outbound-it.war")
                .addPackage(DeliveredPayloads.class.getPackage())
                .addPackage(Await.class.getPackage())
                .addClasses(Deployments.class, Jndi.class, TestUsers.class)
                .addAsLibraries(Deployments.pahoV5Jar());
    }

    @EJB
    private DeliveredPayloads delivered;

    private static ConnectionFactory jms() throws Exception {
        return Jndi.lookup("java:/mqtt/ConnectionFactory");
    }

    private static UserTransaction transaction() throws Exception {
        return (UserTransaction) new InitialContext().lookup("java:comp/UserTransaction");
    }

    @Test
    void jmsContextSendArrivesWithPayloadQosAndMqtt5Properties() throws Exception {
        try (V5Subscriber sub = new V5Subscriber("it-out-ctx", "it/out/ctx", 2);
             JMSContext ctx = jms().createContext()) {
            ctx.createProducer()
                    .setProperty(MqttJmsProperties.QOS, 2)
                    .setProperty(MqttJmsProperties.CONTENT_TYPE, "text/plain")
                    .setProperty("unit", "C")
                    .setJMSCorrelationID("corr-7")
                    .setJMSReplyTo(ctx.createTopic("it/out/replies"))
                    .setTimeToLive(60_000)
                    .send(ctx.createTopic("it/out/ctx"), "reboot");
            V5Subscriber.Received r = sub.next(10);
            assertNotNull(r, "nothing arrived");
            assertEquals("it/out/ctx", r.topic());
            assertEquals("reboot", r.text());
            assertEquals(2, r.message().getQos(), "JMS_MQTT_QoS");
            assertEquals(Boolean.TRUE, r.message().getProperties().getPayloadFormat(), "TextMessage: UTF-8 payload format");
            assertEquals("text/plain", r.message().getProperties().getContentType());
            assertEquals("it/out/replies", r.message().getProperties().getResponseTopic(), "JMSReplyTo");
            assertArrayEquals("corr-7".getBytes(StandardCharsets.UTF_8), r.message().getProperties().getCorrelationData());
            long expiry = r.message().getProperties().getMessageExpiryInterval();
            assertTrue(expiry > 55 && expiry <= 60, "time to live as message expiry: " + expiry);
            assertTrue(r.message().getProperties().getUserProperties().stream()
                    .anyMatch(p -> p.getKey().equals("unit") && p.getValue().equals("C")), "other properties as user properties");
        }
    }

    @Test
    void classicApiSendsBytesAndRetainedMessages() throws Exception {
        Connection connection = jms().createConnection();
        Session session = connection.createSession();
        Topic topic = session.createTopic("it/out/classic");
        MessageProducer producer = session.createProducer(topic);
        // retained messages outlive a restart of the server: the one an earlier run of this test left (a
        // second mvn verify on the same server) would reach the subscriber first; an empty one deletes it
        BytesMessage clear = session.createBytesMessage();
        clear.setBooleanProperty(MqttJmsProperties.RETAIN, true);
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        producer.send(clear);
        try (V5Subscriber sub = new V5Subscriber("it-out-classic", "it/out/classic", 1)) {
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            BytesMessage m = session.createBytesMessage();
            m.writeBytes(new byte[] {1, 2, 3});
            producer.send(m);
            V5Subscriber.Received r = sub.next(10);
            assertNotNull(r);
            assertArrayEquals(new byte[] {1, 2, 3}, r.message().getPayload());
            assertEquals(0, r.message().getQos(), "NON_PERSISTENT: QoS 0");

            BytesMessage retained = session.createBytesMessage();
            retained.writeBytes("last".getBytes(StandardCharsets.UTF_8));
            retained.setBooleanProperty(MqttJmsProperties.RETAIN, true);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            producer.send(retained);
            sub.next(10);
        } finally {
            connection.close();
        }
        try (V5Subscriber late = new V5Subscriber("it-out-late", "it/out/classic", 1)) {
            V5Subscriber.Received r = late.next(10);
            assertNotNull(r, "the retained message");
            assertTrue(r.message().isRetained());
            assertEquals("last", r.text());
            assertEquals(1, r.message().getQos(), "PERSISTENT: QoS 1");
        }
    }

    @Test
    void commitPublishesOnceAndRollbackPublishesNothing() throws Exception {
        ConnectionFactory cf = jms();
        UserTransaction tx = transaction();
        // the markers go through the subscriber's own connection after the call in question returned: a send,
        // commit or rollback publishes on the caller's thread, so what it published would have come first
        try (V5Subscriber sub = new V5Subscriber("it-out-tx", "it/out/tx", 1)) {
            tx.begin();
            try (JMSContext ctx = cf.createContext()) {
                ctx.createProducer().send(ctx.createTopic("it/out/tx"), "committed");
            }
            sub.publish("it/out/tx", "marker 1", 1);
            assertEquals("marker 1", sub.next(10).text(), "nothing before the commit");
            tx.commit();
            assertEquals("committed", sub.next(10).text());
            sub.publish("it/out/tx", "marker 2", 1);
            assertEquals("marker 2", sub.next(10).text(), "exactly once");

            tx.begin();
            try (JMSContext ctx = cf.createContext()) {
                ctx.createProducer().send(ctx.createTopic("it/out/tx"), "rolled back");
            }
            tx.rollback();
            sub.publish("it/out/tx", "marker 3", 1);
            assertEquals("marker 3", sub.next(10).text(), "a rollback publishes nothing");
        }
    }

    @Test
    void nativeApiPublishesInsideTransactions() throws Exception {
        MqttConnectionFactory cf = Jndi.lookup("java:/mqtt/MqttConnectionFactory");
        UserTransaction tx = transaction();
        try (V5Subscriber sub = new V5Subscriber("it-out-native", "it/out/native/#", 2)) {
            tx.begin();
            try (MqttConnection c = cf.getConnection()) {
                c.publish("it/out/native/a", "one".getBytes(StandardCharsets.UTF_8), 2, false, Map.of("source", "native"));
            }
            tx.rollback();
            tx.begin();
            try (MqttConnection c = cf.getConnection()) {
                c.publish("it/out/native/b", "two".getBytes(StandardCharsets.UTF_8), 2, false, Map.of("source", "native"));
            }
            tx.commit();
            V5Subscriber.Received r = sub.next(10);
            assertEquals("it/out/native/b", r.topic(), "only the committed one");
            assertEquals(2, r.message().getQos());
            assertEquals("native", r.message().getProperties().getUserProperties().get(0).getValue());
            // commit and rollback publish on this thread: anything they published would come before the marker
            sub.publish("it/out/native/marker", "marker", 2);
            assertEquals("it/out/native/marker", sub.next(10).topic(), "nothing else");

            try (MqttConnection c = cf.getConnection()) {
                assertThrows(IllegalArgumentException.class, () -> c.publish("it/+/bad", new byte[0], 1, false));
            }
        }
    }

    @Test
    void pooledConnectionsUnderConcurrentUse() throws Exception {
        delivered.clear();
        ConnectionFactory cf = jms();
        ExecutorService threads = Executors.newFixedThreadPool(20);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            int thread = t;
            done.add(threads.submit(() -> {
                for (int i = 0; i < 500; i++) {
                    try (JMSContext ctx = cf.createContext()) { // one pooled connection per send
                        ctx.createProducer().send(ctx.createTopic("it/pool/" + thread), thread + "-" + i);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        threads.shutdown();
        // one marker per topic after its 500 sends: the bean takes a topic's messages in arrival order, so once
        // it has every marker, nothing of the 10,000 is still to come
        try (JMSContext ctx = cf.createContext()) {
            for (int t = 0; t < 20; t++) {
                ctx.createProducer().send(ctx.createTopic("it/pool/" + t), "marker " + t);
            }
        }
        Await.until(Duration.ofSeconds(60), "the 20 markers at the counting bean",
                () -> IntStream.range(0, 20).allMatch(t -> delivered.contains("marker " + t)));
        assertEquals(10_020, delivered.distinctCount(), "every send delivered");
        assertEquals(10_020, delivered.count(), "none twice");
    }

    @Test
    void publishingFromATransactionalMdbCommitsAndRollsBackWithIt() throws Exception {
        try (V5Subscriber out = new V5Subscriber("it-relay-out", "it/relay/out", 1)) {
            try (JMSContext ctx = jms().createContext()) {
                ctx.createProducer().send(ctx.createTopic("it/relay/in"), "fail");
                ctx.createProducer().send(ctx.createTopic("it/relay/in"), "ok");
            }
            // the bean takes the topic's messages one at a time in arrival order: what the failed transaction
            // published would have come before what the next one did
            assertEquals("relayed ok", out.next(10).text(), "the failed transaction published nothing");
        }
    }

    @Test
    void topicAdminObjectFromJndi() throws Exception {
        Topic alerts = Jndi.lookup("java:/mqtt/topic/alerts");
        assertEquals("alerts/site-1", alerts.getTopicName());
        try (V5Subscriber sub = new V5Subscriber("it-alerts", "alerts/#", 1);
             JMSContext ctx = jms().createContext()) {
            delivered.clear();
            ctx.createProducer().send(alerts, "overheating");
            V5Subscriber.Received r = sub.next(10);
            assertEquals("alerts/site-1", r.topic());
            assertEquals("overheating", r.text());
            Await.until(Duration.ofSeconds(10), "the MDB with destinationLookup=java:/mqtt/topic/alerts to get it",
                    () -> delivered.contains("alert overheating"));
        }
    }

    @Test
    void whatTheOutboundApiDoesNotDoIsRefusedClearly() throws Exception {
        try (JMSContext ctx = jms().createContext()) {
            Topic topic = ctx.createTopic("it/out/refused");
            JMSRuntimeException consumer = assertThrows(JMSRuntimeException.class, () -> ctx.createConsumer(topic));
            assertTrue(consumer.getMessage().contains("message-driven bean"), consumer.getMessage());
            assertThrows(InvalidDestinationRuntimeException.class, () -> ctx.createTopic("sensors/+/temp"));
            assertThrows(JMSRuntimeException.class, ctx::createMapMessage);
            assertThrows(JMSRuntimeException.class, () -> ctx.createQueue("q"));
        }
        Connection c = jms().createConnection();
        try {
            assertThrows(JMSException.class, () -> c.createSession().createTemporaryTopic());
        } finally {
            c.close();
        }
    }

    @Test
    void theServersOwnPublishesObeyTheRulesClientsObey() throws Exception {
        String longTopic = "it/" + "x".repeat(5_000);
        try (JMSContext ctx = jms().createContext()) {
            InvalidDestinationRuntimeException tooLong = assertThrows(InvalidDestinationRuntimeException.class,
                    () -> ctx.createProducer().send(ctx.createTopic(longTopic), "x"));
            assertTrue(tooLong.getMessage().contains("maxTopicLength"), tooLong.getMessage());
            assertThrows(InvalidDestinationRuntimeException.class,
                    () -> ctx.createProducer().send(ctx.createTopic("$SYS/broker/version"), "fake"));
            MessageFormatRuntimeException tooBig = assertThrows(MessageFormatRuntimeException.class,
                    () -> ctx.createProducer().send(ctx.createTopic("it/out/big"), new byte[2 * 1024 * 1024]));
            assertTrue(tooBig.getMessage().contains("maxPacketSize"), tooBig.getMessage());
        }
        UserTransaction tx = transaction();
        tx.begin();
        try (JMSContext ctx = jms().createContext()) {
            // refused at the send, inside the transaction, not later at its commit
            assertThrows(MessageFormatRuntimeException.class,
                    () -> ctx.createProducer().send(ctx.createTopic("it/out/big"), new byte[2 * 1024 * 1024]));
        } finally {
            tx.rollback();
        }
    }

    @Test
    void nativeApiPublishesObeyTheRulesToo() throws Exception {
        MqttConnectionFactory cf = Jndi.lookup("java:/mqtt/MqttConnectionFactory");
        try (MqttConnection c = cf.getConnection()) {
            assertThrows(IllegalArgumentException.class, () -> c.publish("$SYS/broker/version", new byte[1], 1, false));
        }
    }
}
