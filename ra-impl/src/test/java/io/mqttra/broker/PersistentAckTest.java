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

    private static int packetId(RawMqttClient.Packet p) {
        return ((p.body()[0] & 0xFF) << 8) | (p.body()[1] & 0xFF);
    }
}
