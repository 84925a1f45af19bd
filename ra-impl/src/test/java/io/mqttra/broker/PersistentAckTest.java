package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A QoS 1/2 publisher is acknowledged only once persistent subscribers have stored the message, and
 * acknowledgements keep the order of the PUBLISHes [MQTT-4.6.0-2] even when a later one needs no storage.
 */
class PersistentAckTest {

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    /** Stores nothing until the test says so. */
    static final class SlowDisk implements PersistentSubscriber {
        final CompletableFuture<Void> written = new CompletableFuture<>();

        @Override
        public String subscriberId() {
            return "slow disk";
        }

        @Override
        public CompletableFuture<Void> deliverPersistently(PublishedMessage message, Delivery delivery) {
            return written;
        }
    }

    private SlowDisk subscribeSlowDisk() {
        SlowDisk disk = new SlowDisk();
        broker.broker().subscribe(disk, Subscription.to("durable/#").qos(1).retainHandling(Subscription.NO_RETAINED).build());
        return disk;
    }

    private RawMqttClient connectedPublisher() throws Exception {
        RawMqttClient c = new RawMqttClient(broker.address());
        c.connect("publisher");
        c.read();
        return c;
    }

    @Test
    void pubAckWaitsForTheWriteAndAcksStayInOrder() throws Exception {
        SlowDisk disk = subscribeSlowDisk();
        try (RawMqttClient c = connectedPublisher()) {
            c.publish("durable/a", "kept", 1, 1);
            c.publish("other/b", "nobody stores this", 1, 2);
            c.publish("durable/a", "x", 2, 3);
            // PINGREQ is read after the PUBLISHes: an acknowledgement sent without waiting would come before PINGRESP
            c.pingReq();
            assertEquals(RawMqttClient.PINGRESP, c.read().type(), "no PUBACK before the message is stored");
            disk.written.complete(null);
            RawMqttClient.Packet first = c.read();
            assertEquals(RawMqttClient.PUBACK, first.type());
            assertEquals(1, packetId(first), "the stored message's PUBACK comes first");
            RawMqttClient.Packet second = c.read();
            assertEquals(2, packetId(second));
            RawMqttClient.Packet third = c.read();
            assertEquals(5, third.type(), "PUBREC");
            assertEquals(3, packetId(third));
        }
    }

    @Test
    void aFailedWriteIsNotAcknowledgedAndTheConnectionCloses() throws Exception {
        SlowDisk disk = subscribeSlowDisk();
        try (RawMqttClient c = connectedPublisher()) {
            c.publish("durable/a", "kept", 1, 1);
            disk.written.completeExceptionally(new java.io.IOException("disk full"));
            c.awaitClose(5000); // the client publishes it again on its next connection
        }
    }

    /** Fails its first write, as the given way, and stores the later ones at once. */
    static final class FailingOnceDisk implements PersistentSubscriber {
        final java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        final boolean throwAtOnce;

        FailingOnceDisk(boolean throwAtOnce) {
            this.throwAtOnce = throwAtOnce;
        }

        @Override
        public String subscriberId() {
            return "failing-once disk";
        }

        @Override
        public CompletableFuture<Void> deliverPersistently(PublishedMessage message, Delivery delivery) {
            if (writes.incrementAndGet() > 1) {
                return CompletableFuture.completedFuture(null);
            }
            if (throwAtOnce) {
                throw new IllegalStateException("cannot encode the message");
            }
            return CompletableFuture.failedFuture(new java.io.IOException("disk full"));
        }
    }

    @Test
    void aStoreThatFailsAtOnceIsNotAcknowledgedEither() throws Exception {
        FailingOnceDisk disk = new FailingOnceDisk(true);
        broker.broker().subscribe(disk, Subscription.to("durable/#").qos(1).retainHandling(Subscription.NO_RETAINED).build());
        try (RawMqttClient c = connectedPublisher()) {
            c.publish("durable/a", "kept", 1, 1);
            c.awaitClose(5000); // closed, without a PUBACK: the client publishes it again on its next connection
        }
        assertEquals(1, disk.writes.get());
    }

    @Test
    void aQos2MessageThatCouldNotBeStoredIsTakenAsNewWhenTheClientSendsItAgain() throws Exception {
        FailingOnceDisk disk = new FailingOnceDisk(false);
        broker.broker().subscribe(disk, Subscription.to("durable/#").qos(2).retainHandling(Subscription.NO_RETAINED).build());
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect("qos2-publisher", false, 60, 4);
            c.read();
            c.publish("durable/a", "kept", 2, 7);
            c.awaitClose(5000);
        }
        try (RawMqttClient again = new RawMqttClient(broker.address())) {
            again.connect("qos2-publisher", false, 60, 4);
            again.read();
            again.publish("durable/a", "kept", 2, 7); // the same packet id, on the resumed session
            assertEquals(RawMqttClient.PUBREC, again.read().type());
        }
        assertEquals(2, disk.writes.get(), "the resent message was stored, not dropped as a duplicate of the lost one");
    }

    private static int packetId(RawMqttClient.Packet p) {
        return ((p.body()[0] & 0xFF) << 8) | (p.body()[1] & 0xFF);
    }
}
