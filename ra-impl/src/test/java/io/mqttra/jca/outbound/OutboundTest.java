package io.mqttra.jca.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.api.MqttJmsProperties;
import io.mqttra.broker.BrokerConfig;
import io.mqttra.broker.Delivery;
import io.mqttra.broker.MqttBroker;
import io.mqttra.broker.PersistentSubscriber;
import io.mqttra.broker.PublishedMessage;
import io.mqttra.broker.Subscription;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSContext;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.Session;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbound connection factory and its transaction branches in a plain JVM, against a running broker. */
class OutboundTest {

    private BrokerAdapter ra;
    private MqttManagedConnectionFactory mcf;
    private MqttClient subscriber;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    /** The part of the resource adapter the connection factories use: it runs the broker. */
    private static final class BrokerAdapter implements ResourceAdapter, BrokerHost {
        private final MqttBroker broker = new MqttBroker(BrokerConfig.builder().tcp("127.0.0.1", 0).sysIntervalSeconds(0).build());

        @Override
        public MqttBroker broker() {
            return broker;
        }

        @Override
        public void start(BootstrapContext ctx) {
        }

        @Override
        public void stop() {
            broker.stop();
        }

        @Override
        public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) {
        }

        @Override
        public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        }

        @Override
        public XAResource[] getXAResources(ActivationSpec[] specs) {
            return new XAResource[0];
        }
    }

    @BeforeEach
    void startBrokerAndSubscriber() throws Exception {
        ra = new BrokerAdapter();
        ra.broker().start();
        mcf = new MqttJmsManagedConnectionFactory();
        mcf.setResourceAdapter(ra);
        subscriber = new MqttClient("tcp://127.0.0.1:" + ra.broker().localAddress().getPort(), "sub", new MemoryPersistence());
        subscriber.connect();
        subscriber.subscribe("out/#", 1, (t, m) -> received.add(t + " " + new String(m.getPayload(), StandardCharsets.UTF_8)
                + " q" + m.getQos() + (m.isRetained() ? " r" : "")));
    }

    @AfterEach
    void stop() throws Exception {
        subscriber.disconnect();
        subscriber.close();
        ra.stop();
    }

    @Test
    void unpooledFactoryPublishesAtOnce() throws Exception {
        ConnectionFactory cf = (ConnectionFactory) mcf.createConnectionFactory();
        try (JMSContext ctx = cf.createContext()) {
            ctx.createProducer().setProperty(MqttJmsProperties.QOS, 0).send(ctx.createTopic("out/a"), "now");
        }
        assertEquals("out/a now q0", received.poll(5, TimeUnit.SECONDS));
    }

    /**
     * Publishes a marker at QoS 1 to {@code topic} and expects it to be the next message the subscriber
     * gets: a message published before it to the same topic would have come first [MQTT-4.6.0-6], so
     * the check cannot pass by giving up too early.
     */
    private void assertNothingPublishedBefore(String topic, String why) throws InterruptedException {
        String marker = "marker-" + System.nanoTime();
        try (JMSContext ctx = ((ConnectionFactory) mcf.createConnectionFactory()).createContext()) {
            ctx.createProducer().setProperty(MqttJmsProperties.QOS, 1).send(ctx.createTopic(topic), marker);
        }
        assertEquals(topic + " " + marker + " q1", received.poll(5, TimeUnit.SECONDS), why);
    }

    private static Xid xid(int id) {
        return new Xid() {
            @Override
            public int getFormatId() {
                return 4711;
            }

            @Override
            public byte[] getGlobalTransactionId() {
                return new byte[] {(byte) id};
            }

            @Override
            public byte[] getBranchQualifier() {
                return new byte[] {1};
            }
        };
    }

    @Test
    void xaBranchPublishesOnCommitOnlyAndInOrder() throws Exception {
        MqttManagedConnection mc = (MqttManagedConnection) mcf.createManagedConnection(null, null);
        XAResource xa = mc.getXAResource();
        Session session = (Session) mc.getConnection(null, null);
        Xid committed = xid(1);
        xa.start(committed, XAResource.TMNOFLAGS);
        session.createProducer(session.createTopic("out/x")).send(session.createTextMessage("first"));
        session.createProducer(session.createTopic("out/x")).send(session.createTextMessage("second"));
        xa.end(committed, XAResource.TMSUCCESS);
        assertNothingPublishedBefore("out/x", "nothing before the commit");
        assertEquals(XAResource.XA_OK, xa.prepare(committed));
        xa.commit(committed, false);
        assertEquals("out/x first q1", received.poll(5, TimeUnit.SECONDS));
        assertEquals("out/x second q1", received.poll(5, TimeUnit.SECONDS));

        Xid rolledBack = xid(2);
        xa.start(rolledBack, XAResource.TMNOFLAGS);
        session.createProducer(session.createTopic("out/x")).send(session.createTextMessage("never"));
        xa.end(rolledBack, XAResource.TMSUCCESS);
        xa.rollback(rolledBack);
        assertNothingPublishedBefore("out/x", "a rollback publishes nothing");

        Xid empty = xid(3);
        xa.start(empty, XAResource.TMNOFLAGS);
        xa.end(empty, XAResource.TMSUCCESS);
        assertEquals(XAResource.XA_RDONLY, xa.prepare(empty), "nothing sent: read-only, no second phase");
        session.close();
    }

    /** A persistent destination whose every write fails, as a full disk does. */
    private static final class FullDisk implements PersistentSubscriber {
        @Override
        public String subscriberId() {
            return "full disk";
        }

        @Override
        public java.util.concurrent.CompletableFuture<Void> deliverPersistently(PublishedMessage message, Delivery delivery) {
            return java.util.concurrent.CompletableFuture.failedFuture(new java.io.IOException("disk full"));
        }
    }

    @Test
    void aCommitThatCannotPublishThrowsAnXaExceptionSayingWhatHappened() throws Exception {
        ra.broker().subscribe(new FullDisk(), Subscription.to("out/stored/#").qos(1).retainHandling(Subscription.NO_RETAINED).build());
        MqttManagedConnection mc = (MqttManagedConnection) mcf.createManagedConnection(null, null);
        XAResource xa = mc.getXAResource();
        Session session = (Session) mc.getConnection(null, null);

        Xid mixed = xid(7);
        xa.start(mixed, XAResource.TMNOFLAGS);
        session.createProducer(session.createTopic("out/y")).send(session.createTextMessage("went out"));
        session.createProducer(session.createTopic("out/stored/y")).send(session.createTextMessage("not stored"));
        xa.end(mixed, XAResource.TMSUCCESS);
        assertEquals(XAResource.XA_OK, xa.prepare(mixed));
        XAException partly = assertThrows(XAException.class, () -> xa.commit(mixed, false));
        assertEquals(XAException.XA_HEURMIX, partly.errorCode, "one of two went out");
        assertEquals("out/y went out q1", received.poll(5, TimeUnit.SECONDS));

        Xid none = xid(8);
        xa.start(none, XAResource.TMNOFLAGS);
        session.createProducer(session.createTopic("out/stored/z")).send(session.createTextMessage("not stored"));
        xa.end(none, XAResource.TMSUCCESS);
        assertEquals(XAException.XA_HEURRB, assertThrows(XAException.class, () -> xa.commit(none, false)).errorCode,
                "after a yes vote, nothing went out: heuristically rolled back");
        Xid onePhase = xid(9);
        xa.start(onePhase, XAResource.TMNOFLAGS);
        session.createProducer(session.createTopic("out/stored/z")).send(session.createTextMessage("not stored"));
        xa.end(onePhase, XAResource.TMSUCCESS);
        assertEquals(XAException.XA_RBROLLBACK, assertThrows(XAException.class, () -> xa.commit(onePhase, true)).errorCode);
        session.close();
    }

    @Test
    void localTransactionCommitAndRollback() throws Exception {
        MqttManagedConnection mc = (MqttManagedConnection) mcf.createManagedConnection(null, null);
        Session session = (Session) mc.getConnection(null, null);
        mc.getLocalTransaction().begin();
        session.createProducer(session.createTopic("out/local")).send(session.createTextMessage("dropped"));
        mc.getLocalTransaction().rollback();
        mc.getLocalTransaction().begin();
        session.createProducer(session.createTopic("out/local")).send(session.createTextMessage("kept"));
        assertNothingPublishedBefore("out/local", "neither the rolled-back message nor one before the commit");
        mc.getLocalTransaction().commit();
        assertEquals("out/local kept q1", received.poll(5, TimeUnit.SECONDS));
        assertNothingPublishedBefore("out/local", "the commit published its one message once");
    }

    @Test
    void retainFlagAndRefusals() throws Exception {
        ConnectionFactory cf = (ConnectionFactory) mcf.createConnectionFactory();
        try (JMSContext ctx = cf.createContext()) {
            ctx.createProducer().setProperty(MqttJmsProperties.RETAIN, true).send(ctx.createTopic("out/kept"), "state");
            received.poll(5, TimeUnit.SECONDS);
            MessageFormatRuntimeException badQos = assertThrows(MessageFormatRuntimeException.class,
                    () -> ctx.createProducer().setProperty(MqttJmsProperties.QOS, 3).send(ctx.createTopic("out/a"), "x"));
            assertTrue(badQos.getMessage().contains("JMS_MQTT_QoS"), badQos.getMessage());
            assertThrows(InvalidDestinationRuntimeException.class, () -> ctx.createTopic("out/#"));
            assertThrows(MessageFormatRuntimeException.class,
                    () -> ctx.createProducer().send(ctx.createTopic("out/a"), java.util.Map.of("k", "v")));
        }
        MqttClient late = new MqttClient(subscriber.getServerURI(), "late", new MemoryPersistence());
        late.connect();
        BlockingQueue<Boolean> retained = new LinkedBlockingQueue<>();
        late.subscribe("out/kept", 1, (t, m) -> retained.add(m.isRetained()));
        assertNotNull(retained.poll(5, TimeUnit.SECONDS));
        late.disconnect();
        late.close();
    }

    @Test
    void asynchronousSendAndBadPriorityAreRefused() throws Exception {
        MqttManagedConnection mc = (MqttManagedConnection) mcf.createManagedConnection(null, null);
        Session session = (Session) mc.getConnection(null, null);
        jakarta.jms.MessageProducer producer = session.createProducer(session.createTopic("out/async"));
        jakarta.jms.TextMessage m = session.createTextMessage("x");
        jakarta.jms.JMSException async = assertThrows(jakarta.jms.JMSException.class, () -> producer.send(m, new jakarta.jms.CompletionListener() {
            @Override
            public void onCompletion(jakarta.jms.Message message) {
            }

            @Override
            public void onException(jakarta.jms.Message message, Exception exception) {
            }
        }));
        assertTrue(async.getMessage().contains("Asynchronous send"), async.getMessage());
        assertThrows(jakarta.jms.JMSException.class, () -> producer.send(m, jakarta.jms.DeliveryMode.PERSISTENT, 42, 0));
        assertNothingPublishedBefore("out/async", "the refused sends published nothing");
        session.close();
    }
}
