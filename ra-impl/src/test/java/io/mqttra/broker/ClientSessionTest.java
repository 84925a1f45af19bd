package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One session's outbound flow towards its client: the in-flight window, the queue behind it and its
 * overflow, replay on reconnect, and the QoS 2 state in both directions (MQTT 5.0 sections 4.3, 4.4
 * and 4.9). The connection is an {@link EmbeddedChannel}: what the session writes is read back as
 * packets, with no network and no codec.
 */
class ClientSessionTest {

    private final BrokerStats stats = new BrokerStats();

    private ClientSession session(BrokerConfig.Builder config) {
        return new ClientSession("c1", config.build(), stats);
    }

    private ClientSession session() {
        return session(BrokerConfig.builder());
    }

    /** An MQTT 5 connection whose CONNECT said Receive Maximum {@code n}. */
    private static ConnectionLimits receiveMaximum(int n) {
        return new ConnectionLimits(true, n, Integer.MAX_VALUE, 0);
    }

    private static PublishedMessage message(String payload) {
        return message(payload, PublishedMessage.Mqtt5Properties.NONE, System.currentTimeMillis());
    }

    private static PublishedMessage message(String payload, PublishedMessage.Mqtt5Properties properties, long receivedAt) {
        return new PublishedMessage("t", payload.getBytes(StandardCharsets.UTF_8), 2, false, "publisher", null, receivedAt,
                properties);
    }

    private static void deliver(ClientSession session, int qos, String... payloads) {
        for (String p : payloads) {
            session.outbox().deliver(message(p), new Delivery(qos, false, false, List.of()));
        }
    }

    /**
     * What the session wrote to the connection since the last call, one line per packet:
     * {@code PUBLISH m1 q1 #1}, {@code PUBLISH m1 q1 #1 DUP}, {@code PUBREL #1}, {@code PUBREL #9 0x92}.
     */
    private static List<String> sent(EmbeddedChannel connection) {
        connection.runPendingTasks(); // the session writes through tasks on the connection's event loop
        List<String> packets = new ArrayList<>();
        Object o;
        while ((o = connection.readOutbound()) != null) {
            packets.add(describe((MqttMessage) o));
        }
        return packets;
    }

    private static String describe(MqttMessage m) {
        if (m instanceof MqttPublishMessage p) {
            String line = "PUBLISH " + p.payload().toString(StandardCharsets.UTF_8) + " q" + p.fixedHeader().qosLevel().value()
                    + (p.variableHeader().packetId() > 0 ? " #" + p.variableHeader().packetId() : "")
                    + (p.fixedHeader().isDup() ? " DUP" : "");
            p.release();
            return line;
        }
        MqttPubReplyMessageVariableHeader reply = (MqttPubReplyMessageVariableHeader) m.variableHeader();
        return m.fixedHeader().messageType() + " #" + reply.messageId()
                + (reply.reasonCode() != 0 ? String.format(" 0x%02X", reply.reasonCode() & 0xFF) : "");
    }

    // ---- in-flight window and queue ----

    @Test
    void qos1BeyondTheClientsReceiveMaximumWaitsForAnAcknowledgement_MQTT_3_3_4_9() {
        ClientSession session = session();
        EmbeddedChannel connection = new EmbeddedChannel();
        session.attach(connection, receiveMaximum(2));
        deliver(session, 1, "m1", "m2", "m3", "m4");
        assertEquals(List.of("PUBLISH m1 q1 #1", "PUBLISH m2 q1 #2"), sent(connection));
        session.outbox().onPubAck(1);
        assertEquals(List.of("PUBLISH m3 q1 #3"), sent(connection), "one acknowledged, the next one in order");
        session.outbox().onPubAck(2);
        assertEquals(List.of("PUBLISH m4 q1 #4"), sent(connection));
    }

    @Test
    void inFlightWindowIsAlsoCappedByTheBrokersMaxInflight() {
        ClientSession session = session(BrokerConfig.builder().maxInflightPerClient(1));
        EmbeddedChannel connection = new EmbeddedChannel();
        session.attach(connection, receiveMaximum(10));
        deliver(session, 1, "m1", "m2");
        assertEquals(List.of("PUBLISH m1 q1 #1"), sent(connection));
    }

    @Test
    void qos0IsNotHeldBackByAFullWindow() {
        ClientSession session = session();
        EmbeddedChannel connection = new EmbeddedChannel();
        session.attach(connection, receiveMaximum(1));
        deliver(session, 1, "m1", "m2");
        deliver(session, 0, "now");
        assertEquals(List.of("PUBLISH m1 q1 #1", "PUBLISH now q0"), sent(connection));
    }

    @Test
    void queueBehindAFullWindowIsBoundedByMaxQueued() {
        ClientSession session = session(BrokerConfig.builder().maxQueuedPerClient(2));
        EmbeddedChannel connection = new EmbeddedChannel();
        session.attach(connection, receiveMaximum(1));
        deliver(session, 1, "m1", "m2", "m3", "m4", "m5");
        assertEquals(List.of("PUBLISH m1 q1 #1"), sent(connection));
        assertEquals(2, stats.messagesDropped(), "m4 and m5: m2 and m3 fill the queue");
        session.outbox().onPubAck(1);
        session.outbox().onPubAck(2);
        session.outbox().onPubAck(3);
        assertEquals(List.of("PUBLISH m2 q1 #2", "PUBLISH m3 q1 #3"), sent(connection));
    }

    @Test
    void fullQueueDropsTheNewMessageByDefault() {
        ClientSession session = session(BrokerConfig.builder().maxQueuedPerClient(2));
        deliver(session, 1, "m1", "m2", "m3", "m4"); // offline
        assertEquals(2, stats.messagesDropped());
        EmbeddedChannel connection = new EmbeddedChannel();
        session.attach(connection, receiveMaximum(10));
        assertEquals(List.of("PUBLISH m1 q1 #1", "PUBLISH m2 q1 #2"), sent(connection));
    }

    @Test
    void fullQueueDropsTheOldestWhenConfigured() {
        ClientSession session = session(BrokerConfig.builder().maxQueuedPerClient(2)
                .queueOverflow(BrokerConfig.QueueOverflow.DROP_OLDEST));
        deliver(session, 1, "m1", "m2", "m3", "m4");
        assertEquals(2, stats.messagesDropped());
        EmbeddedChannel connection = new EmbeddedChannel();
        session.attach(connection, receiveMaximum(10));
        assertEquals(List.of("PUBLISH m3 q1 #1", "PUBLISH m4 q1 #2"), sent(connection));
    }

    @Test
    void queueOfNoMessagesDropsEveryMessageEvenWhenDroppingTheOldest() {
        ClientSession session = session(BrokerConfig.builder().maxQueuedPerClient(0)
                .queueOverflow(BrokerConfig.QueueOverflow.DROP_OLDEST));
        deliver(session, 1, "m1");
        assertEquals(1, stats.messagesDropped());
        EmbeddedChannel connection = new EmbeddedChannel();
        session.attach(connection, receiveMaximum(10));
        assertEquals(List.of(), sent(connection));
    }

    @Test
    void qos0ForAnOfflineClientIsDroppedByDefault() {
        ClientSession session = session();
        deliver(session, 0, "lost");
        assertEquals(1, stats.messagesDropped());
        EmbeddedChannel connection = new EmbeddedChannel();
        session.attach(connection, receiveMaximum(10));
        assertEquals(List.of(), sent(connection));
    }

    @Test
    void qos0ForAnOfflineClientIsQueuedWhenConfigured() {
        ClientSession session = session(BrokerConfig.builder().queueQos0WhileOffline(true));
        deliver(session, 0, "kept");
        EmbeddedChannel connection = new EmbeddedChannel();
        session.attach(connection, receiveMaximum(10));
        assertEquals(List.of("PUBLISH kept q0"), sent(connection));
    }

    @Test
    void messageThatExpiredWhileQueuedIsNotSent_MQTT_3_3_2_5() {
        ClientSession session = session();
        PublishedMessage.Mqtt5Properties oneSecond = new PublishedMessage.Mqtt5Properties(null, 1L, null, null, null, List.of());
        long tenSecondsAgo = System.currentTimeMillis() - 10_000;
        session.outbox().deliver(message("stale", oneSecond, tenSecondsAgo), new Delivery(1, false, false, List.of()));
        deliver(session, 1, "fresh");
        EmbeddedChannel connection = new EmbeddedChannel();
        session.attach(connection, receiveMaximum(10));
        assertEquals(List.of("PUBLISH fresh q1 #1"), sent(connection));
        assertEquals(1, stats.messagesDropped());
    }

    @Test
    void endedSessionTakesNoMoreMessages() {
        ClientSession session = session();
        EmbeddedChannel connection = new EmbeddedChannel();
        session.attach(connection, receiveMaximum(10));
        session.end();
        deliver(session, 1, "late");
        assertEquals(List.of(), sent(connection));
    }

    // ---- replay on reconnect ----

    @Test
    void unacknowledgedPublishesAreResentWithDupInTheirOriginalOrderBeforeQueuedOnes_MQTT_4_4_0_1() {
        ClientSession session = session();
        EmbeddedChannel first = new EmbeddedChannel();
        session.attach(first, receiveMaximum(2));
        deliver(session, 1, "m1", "m2", "m3");
        session.outbox().onPubAck(1);
        assertEquals(List.of("PUBLISH m1 q1 #1", "PUBLISH m2 q1 #2", "PUBLISH m3 q1 #3"), sent(first));
        deliver(session, 1, "m4"); // behind the full window
        session.detach(first);
        deliver(session, 1, "m5"); // while offline

        EmbeddedChannel second = new EmbeddedChannel();
        session.attach(second, receiveMaximum(2));
        // the same packet identifiers, in the order first sent [MQTT-4.6.0-1]; the queued ones wait for room
        assertEquals(List.of("PUBLISH m2 q1 #2 DUP", "PUBLISH m3 q1 #3 DUP"), sent(second));
        session.outbox().onPubAck(2);
        session.outbox().onPubAck(3);
        assertEquals(List.of("PUBLISH m4 q1 #4", "PUBLISH m5 q1 #5"), sent(second));
    }

    @Test
    void releasedQos2MessageIsResentAsPubrelNotAsPublish_MQTT_4_4_0_1() {
        ClientSession session = session();
        EmbeddedChannel first = new EmbeddedChannel();
        session.attach(first, receiveMaximum(10));
        deliver(session, 2, "once");
        session.outbox().onPubRec(1, false);
        assertEquals(List.of("PUBLISH once q2 #1", "PUBREL #1"), sent(first));
        session.detach(first);

        EmbeddedChannel second = new EmbeddedChannel();
        session.attach(second, receiveMaximum(10));
        assertEquals(List.of("PUBREL #1"), sent(second));
    }

    @Test
    void qos0IsNotResentOnReconnect() {
        ClientSession session = session();
        EmbeddedChannel first = new EmbeddedChannel();
        session.attach(first, receiveMaximum(10));
        deliver(session, 0, "fire and forget");
        assertEquals(List.of("PUBLISH fire and forget q0"), sent(first));
        session.detach(first);
        EmbeddedChannel second = new EmbeddedChannel();
        session.attach(second, receiveMaximum(10));
        assertEquals(List.of(), sent(second));
    }

    // ---- QoS 2 towards the client ----

    @Test
    void qos2DeliveryIsCompleteOnlyAfterPubrecThenPubcomp_MQTT_4_3_3() {
        ClientSession session = session();
        EmbeddedChannel connection = new EmbeddedChannel();
        session.attach(connection, receiveMaximum(1));
        deliver(session, 2, "a", "b");
        assertEquals(List.of("PUBLISH a q2 #1"), sent(connection));
        session.outbox().onPubAck(1);
        session.outbox().onPubComp(1);
        assertEquals(List.of(), sent(connection), "neither PUBACK nor an early PUBCOMP completes a QoS 2 delivery");
        session.outbox().onPubRec(1, false);
        assertEquals(List.of("PUBREL #1"), sent(connection));
        session.outbox().onPubComp(1);
        assertEquals(List.of("PUBLISH b q2 #2"), sent(connection), "the window has room again");
    }

    @Test
    void pubrecWithAnErrorReasonEndsTheDeliveryAndFreesItsPlace_MQTT_4_3_3_4() {
        ClientSession session = session();
        EmbeddedChannel connection = new EmbeddedChannel();
        session.attach(connection, receiveMaximum(1));
        deliver(session, 2, "a", "b");
        sent(connection);
        session.outbox().onPubRec(1, true);
        assertEquals(List.of("PUBLISH b q2 #2"), sent(connection), "no PUBREL for a refused message");
    }

    @Test
    void pubrecForAnUnknownPacketIdentifierGetsPubrelWith0x92() {
        ClientSession session = session();
        EmbeddedChannel connection = new EmbeddedChannel();
        session.attach(connection, receiveMaximum(10));
        session.outbox().onPubRec(9, false);
        assertEquals(List.of("PUBREL #9 0x92"), sent(connection));
    }

    // ---- QoS 2 from the client ----

    @Test
    void qos2PublishIsTakenOnceUntilReleased_MQTT_4_3_3_9() {
        ClientSession session = session();
        assertTrue(session.receiveQos2(5), "new: to be routed");
        assertFalse(session.receiveQos2(5), "a retransmission before PUBREL: not routed again");
        assertTrue(session.isReceivingQos2(5));
        assertTrue(session.releaseQos2(5), "PUBREL");
        assertFalse(session.isReceivingQos2(5));
        assertTrue(session.receiveQos2(5), "after PUBREL the identifier is a new message");
    }

    @Test
    void unreleasedQos2PublishesAreCountedAgainstTheServersReceiveMaximum_MQTT_3_3_4_7() {
        ClientSession session = session();
        session.receiveQos2(1);
        session.receiveQos2(2);
        session.receiveQos2(2);
        assertEquals(2, session.receivingQos2());
        session.releaseQos2(1);
        assertEquals(1, session.receivingQos2());
    }

    @Test
    void pubrelForAnUnknownPacketIdentifierIsReported() {
        assertFalse(session().releaseQos2(77), "the caller answers PUBCOMP 0x92");
    }

    @Test
    void unreleasedQos2PublishOutlivesTheConnection() {
        ClientSession session = session();
        EmbeddedChannel first = new EmbeddedChannel();
        session.attach(first, receiveMaximum(10));
        session.receiveQos2(3);
        session.detach(first);
        session.attach(new EmbeddedChannel(), receiveMaximum(10));
        assertFalse(session.receiveQos2(3), "the resent PUBLISH is still a duplicate");
        assertTrue(session.releaseQos2(3));
    }

    // ---- asked from other threads ----

    @Test
    void whetherItCanTakeAMessageIsAnsweredWithoutWaitingForItsMonitor() throws Exception {
        ClientSession session = session();
        Outbox outbox = session.outbox();
        EmbeddedChannel connection = new EmbeddedChannel();
        assertFalse(outbox.isAvailable(), "offline");
        session.attach(connection, receiveMaximum(1));
        assertTrue(outbox.isAvailable());
        deliver(session, 1, "m1");
        assertFalse(outbox.isAvailable(), "its one in-flight slot is taken");
        outbox.onPubAck(1);
        assertTrue(outbox.isAvailable());

        // a shared group asks on the publisher's I/O thread, while the client's own may hold the monitor
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            threads.submit(() -> {
                synchronized (outbox) {
                    held.countDown();
                    return release.await(10, TimeUnit.SECONDS);
                }
            });
            assertTrue(held.await(5, TimeUnit.SECONDS));
            assertTrue(threads.submit(outbox::isAvailable).get(2, TimeUnit.SECONDS)); // TimeoutException: it waited
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
    }
}
