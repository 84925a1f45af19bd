package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mqttra.broker.PublishedMessage.Mqtt5Properties;
import io.mqttra.broker.RawMqttClient.Publish;
import java.net.SocketTimeoutException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The bounds on what a client's messages make the broker hold: unfinished QoS 1/2 messages from it,
 * acknowledgements waiting for storage, messages handed to it from other threads, and topic aliases.
 */
class FlowLimitsTest {

    /** A persistent subscriber to durable/# that stores nothing until the test says so. */
    private static PersistentAckTest.SlowDisk slowDisk(MqttBroker broker) {
        PersistentAckTest.SlowDisk disk = new PersistentAckTest.SlowDisk();
        broker.subscribe(disk, Subscription.to("durable/#").qos(1).retainHandling(Subscription.NO_RETAINED).build());
        return disk;
    }

    @Test
    void qos1MessagesWaitingForStorageCountTowardsTheReceiveMaximum_MQTT_3_3_4_7() throws Exception {
        MqttBroker broker = LimitsTest.start(BrokerConfig.builder().maxInflightPerClient(3));
        try (RawMqttClient c = new RawMqttClient(broker.localAddress())) {
            slowDisk(broker);
            c.connect5("eager", true, RawMqttClient.props());
            c.read();
            for (int id = 1; id <= 3; id++) {
                c.publish5("durable/a", 1, id, RawMqttClient.props(), "m" + id); // no PUBACK until stored
            }
            c.publish5("durable/a", 1, 4, RawMqttClient.props(), "one too many");
            assertEquals(0x93, c.readDisconnectReason(), "Receive Maximum exceeded");
            assertEquals(1, broker.stats().receiveMaximumExceeded());
        } finally {
            broker.stop();
        }
    }

    @Test
    void anMqtt3ClientThatLeavesTooManyQos2MessagesUnreleasedIsDisconnected() throws Exception {
        MqttBroker broker = LimitsTest.start(BrokerConfig.builder().mqtt3ReceiveMaximum(3));
        try (RawMqttClient c = new RawMqttClient(broker.localAddress())) {
            c.connect("no-pubrel");
            c.read();
            for (int id = 1; id <= 3; id++) {
                c.publish("q2/a", "m" + id, 2, id);
                assertEquals(RawMqttClient.PUBREC, c.read().type());
            }
            c.publish("q2/a", "m2", 2, 2); // a resend of one that counts already [MQTT-4.3.3-9]
            assertEquals(RawMqttClient.PUBREC, c.read().type());
            c.ack(6, 1); // PUBREL 1 leaves two unreleased
            assertEquals(7, c.read().type(), "PUBCOMP");
            c.publish("q2/a", "m4", 2, 4);
            assertEquals(RawMqttClient.PUBREC, c.read().type(), "three unreleased again");
            c.publish("q2/a", "m5", 2, 5);
            c.awaitClose(2000);
            assertEquals(1, broker.stats().receiveMaximumExceeded());
        } finally {
            broker.stop();
        }
    }

    /**
     * An MQTT 3.x client is not at fault when storage is slow: once mqtt3ReceiveMaximum
     * acknowledgements wait, the broker stops reading from it (a PINGREQ is not answered), and reads
     * again once they are sent.
     */
    @Test
    void acknowledgementsWaitingForStoragePauseReadingFromAnMqtt3Client() throws Exception {
        MqttBroker broker = LimitsTest.start(BrokerConfig.builder().mqtt3ReceiveMaximum(4));
        try (RawMqttClient c = new RawMqttClient(broker.localAddress())) {
            PersistentAckTest.SlowDisk disk = slowDisk(broker);
            c.connect("fast-publisher");
            c.read();
            for (int id = 1; id <= 4; id++) {
                c.publish("durable/a", "m" + id, 1, id);
            }
            Thread.sleep(300); // read on its own, before the PINGREQ
            c.pingReq();
            c.socket().setSoTimeout(500);
            assertThrows(SocketTimeoutException.class, c::read, "reads paused: no PINGRESP");
            c.socket().setSoTimeout(5000);
            disk.written.complete(null);
            for (int id = 1; id <= 4; id++) {
                assertEquals(RawMqttClient.PUBACK, c.read().type());
            }
            assertEquals(RawMqttClient.PINGRESP, c.read().type(), "reading again");
            assertEquals(1, broker.stats().readsPaused());
        } finally {
            broker.stop();
        }
    }

    /**
     * Messages handed to a client from other threads wait in its inbox until its event loop takes them
     * in; while that loop is busy, the inbox holds no more than the client's queue and window could
     * take (QoS 1/2) or its buffer (QoS 0), and drops the rest at once, counted.
     */
    @Test
    void messagesForAClientWhoseEventLoopIsBusyAreBoundedOnArrival() throws Exception {
        // one I/O thread: a subscriber inside the server that blocks it blocks the client's loop too
        MqttBroker broker = LimitsTest.start(BrokerConfig.builder().ioThreads(1).maxQueuedPerClient(5).maxInflightPerClient(2)
                .maxClientBufferBytes(1024));
        CountDownLatch blocking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        broker.subscribe(new Subscriber() {
            @Override
            public String subscriberId() {
                return "blocker";
            }

            @Override
            public void deliver(PublishedMessage message, Delivery delivery) {
                blocking.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, Subscription.to("block").retainHandling(Subscription.NO_RETAINED).build());
        try (RawMqttClient sub = new RawMqttClient(broker.localAddress());
             RawMqttClient blocker = new RawMqttClient(broker.localAddress())) {
            sub.connect("busy-loop");
            sub.read();
            sub.subscribe(1, "inbox/#", 1);
            sub.read();
            blocker.connect("blocker");
            blocker.read();
            blocker.publish("block", "", 0, 0);
            blocking.await(5, TimeUnit.SECONDS);

            byte[] payload = new byte[100];
            for (int i = 0; i < 50; i++) {
                broker.publish(new PublishedMessage("inbox/1", payload, 1, false, null, null, System.currentTimeMillis(),
                        Mqtt5Properties.NONE));
            }
            assertEquals(43, broker.droppedMessages(), "5 queued + 2 in flight kept, while the loop is still blocked");
            for (int i = 0; i < 20; i++) {
                broker.publish(new PublishedMessage("inbox/0", payload, 0, false, null, null, System.currentTimeMillis(),
                        Mqtt5Properties.NONE));
            }
            // 100 + 7 + 16 bytes each against 1024
            assertEquals(43 + 11, broker.droppedMessages(), "9 QoS 0 messages fit in the client's buffer");
            release.countDown();
            int qos1 = 0;
            int qos0 = 0;
            while (qos1 + qos0 < 16) {
                Publish p = sub.readPublish(false);
                if (p.qos() == 1) {
                    qos1++;
                    sub.ack(4, p.packetId());
                } else {
                    qos0++;
                }
            }
            assertEquals(7, qos1);
            assertEquals(9, qos0);
        } finally {
            release.countDown();
            broker.stop();
        }
    }

    /** The topics the broker names by alias are a map it keeps per connection: no more than topicAliasMaximum. */
    @Test
    void theBrokerSetsNoMoreTopicAliasesThanItsOwnMaximum_MQTT_3_3_2_11() throws Exception {
        MqttBroker broker = LimitsTest.start(BrokerConfig.builder().topicAliasMaximum(1));
        try (RawMqttClient c = new RawMqttClient(broker.localAddress());
             RawMqttClient pub = new RawMqttClient(broker.localAddress())) {
            c.connect5("many-aliases", true, RawMqttClient.props().u16(0x22, 65_535));
            c.read();
            c.subscribe5(1, RawMqttClient.props(), "to-client/#", 0);
            c.read();
            pub.connect("source");
            pub.read();
            pub.publish("to-client/a", "1", 0, 0);
            pub.publish("to-client/b", "2", 0, 0);
            Publish first = c.readPublish(true);
            Publish second = c.readPublish(true);
            assertEquals(1, first.property(0x23), "the first topic gets alias 1");
            assertEquals("to-client/b", second.topic());
            assertNull(second.property(0x23), "no second alias, though the client accepts 65535");
        } finally {
            broker.stop();
        }
    }
}
