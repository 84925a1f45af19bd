package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.broker.RawMqttClient.Packet;
import io.mqttra.testing.Await;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each limit, exceeded: the documented refusal, drop with a counter, or disconnect. */
class LimitsTest {

    /** A broker on a free loopback port without {@code $SYS} publishing; the caller stops it. */
    static MqttBroker start(BrokerConfig.Builder config) throws Exception {
        MqttBroker broker = new MqttBroker(config.tcp("127.0.0.1", 0).sysIntervalSeconds(0).build());
        broker.start();
        return broker;
    }

    @Test
    void maxConnectionsRefusesFurtherClientsAtConnect() throws Exception {
        // one I/O thread: connections are counted in the order they were accepted
        MqttBroker broker = start(BrokerConfig.builder().maxConnections(2).ioThreads(1));
        try (RawMqttClient a = new RawMqttClient(broker.localAddress());
             RawMqttClient b = new RawMqttClient(broker.localAddress());
             RawMqttClient c = new RawMqttClient(broker.localAddress());
             RawMqttClient d = new RawMqttClient(broker.localAddress())) {
            a.connect("a");
            assertEquals(0, a.read().body()[1]);
            b.connect("b");
            assertEquals(0, b.read().body()[1]);
            c.connect("c");
            assertArrayEquals(new byte[] {0, 3}, c.read().body(), "3.1.1: server unavailable");
            c.awaitClose(2000);
            d.connect5("d", true, RawMqttClient.props());
            assertEquals(0x97, d.read().body()[1] & 0xFF, "5.0: quota exceeded");
            assertTrue(broker.stats().connectionsRefused() >= 2);
        } finally {
            broker.stop();
        }
    }

    @Test
    void maxConnectionsCountsConnectionsFromAcceptNotFromTheirLogin() throws Exception {
        // one I/O thread: connections are counted in the order they were accepted
        MqttBroker broker = start(BrokerConfig.builder().maxConnections(2).ioThreads(1));
        // three accepted before any CONNECT: a burst whose logins are under way must not overshoot the limit
        try (RawMqttClient a = new RawMqttClient(broker.localAddress());
             RawMqttClient b = new RawMqttClient(broker.localAddress());
             RawMqttClient c = new RawMqttClient(broker.localAddress())) {
            Await.until(Duration.ofSeconds(5), "three connections accepted", () -> broker.stats().connectionsTotal() >= 3);
            c.connect("third");
            assertArrayEquals(new byte[] {0, 3}, c.read().body(), "the third accepted is refused, though no session exists yet");
            a.connect("first");
            assertEquals(0, a.read().body()[1]);
            b.connect("second");
            assertEquals(0, b.read().body()[1]);
        } finally {
            broker.stop();
        }
    }

    @Test
    void connectionRatePerAddressClosesTheExcess() throws Exception {
        MqttBroker broker = start(BrokerConfig.builder().maxConnectionsPerSecondPerAddress(3));
        try {
            int closedAtOnce = 0;
            for (int i = 0; i < 6; i++) {
                try (RawMqttClient c = new RawMqttClient(broker.localAddress())) {
                    c.connect("burst-" + i);
                    try {
                        c.read();
                    } catch (java.io.IOException closed) {
                        closedAtOnce++;
                    }
                }
            }
            assertTrue(closedAtOnce >= 2, "connections beyond 3 per second are closed: " + closedAtOnce);
            assertTrue(broker.stats().connectionsRefused() >= 2);
        } finally {
            broker.stop();
        }
    }

    @Test
    void clientIdLongerThanTheLimitIsRejected() throws Exception {
        MqttBroker broker = start(BrokerConfig.builder().maxClientIdLength(10));
        try (RawMqttClient c = new RawMqttClient(broker.localAddress());
             RawMqttClient c5 = new RawMqttClient(broker.localAddress())) {
            c.connect("a-very-long-client-id");
            assertArrayEquals(new byte[] {0, 2}, c.read().body(), "identifier rejected");
            c5.connect5("a-very-long-client-id", true, RawMqttClient.props());
            assertEquals(0x85, c5.read().body()[1] & 0xFF, "Client Identifier not valid");
        } finally {
            broker.stop();
        }
    }

    @Test
    void topicLengthAndLevelLimits() throws Exception {
        MqttBroker broker = start(BrokerConfig.builder().maxTopicLength(20).maxTopicLevels(3));
        try (RawMqttClient c = new RawMqttClient(broker.localAddress())) {
            c.connect("topics");
            c.read();
            c.subscribe(1, "a/b/c/d", 1);
            assertArrayEquals(new byte[] {0, 1, (byte) 0x80}, c.read().body(), "too many levels: SUBACK failure");
            c.subscribe(2, "a/" + "x".repeat(30), 1);
            assertArrayEquals(new byte[] {0, 2, (byte) 0x80}, c.read().body(), "too long: SUBACK failure");
            c.publish("a/b/c/d", "x", 0, 0);
            c.awaitClose(2000);
        } finally {
            broker.stop();
        }
    }

    @Test
    void subscriptionsBeyondTheLimitAreRefusedWithQuotaExceeded() throws Exception {
        MqttBroker broker = start(BrokerConfig.builder().maxSubscriptionsPerClient(2));
        try (RawMqttClient c = new RawMqttClient(broker.localAddress());
             RawMqttClient v5 = new RawMqttClient(broker.localAddress())) {
            c.connect("subscriber");
            c.read();
            c.subscribe(1, "a/1", 1);
            c.subscribe(2, "a/2", 1);
            c.subscribe(3, "a/1", 0);
            assertArrayEquals(new byte[] {0, 1, 1}, c.read().body());
            assertArrayEquals(new byte[] {0, 2, 1}, c.read().body());
            assertArrayEquals(new byte[] {0, 3, 0}, c.read().body(), "a subscription it has already counts once");
            c.subscribe(4, "a/3", 1);
            assertArrayEquals(new byte[] {0, 4, (byte) 0x80}, c.read().body(), "3.1.1: failure");
            v5.connect5("subscriber-5", true, RawMqttClient.props());
            v5.read();
            v5.subscribe5(1, RawMqttClient.props(), "b/1", 1);
            v5.read();
            v5.subscribe5(2, RawMqttClient.props(), "b/2", 1);
            v5.read();
            v5.subscribe5(3, RawMqttClient.props(), "b/3", 1);
            byte[] suback = v5.read().body();
            assertEquals(0x97, suback[suback.length - 1] & 0xFF, "5.0: quota exceeded for the third");
        } finally {
            broker.stop();
        }
    }

    @Test
    void keepAliveAboveTheMaximumIsHeldToIt() throws Exception {
        MqttBroker broker = start(BrokerConfig.builder().maxKeepAliveSeconds(1));
        try (RawMqttClient c = new RawMqttClient(broker.localAddress());
             RawMqttClient c5 = new RawMqttClient(broker.localAddress())) {
            c.connect("lazy", true, 0, 4); // asks for no keep-alive at all
            c.read();
            long millis = c.awaitClose(5000);
            assertTrue(millis < 3000, "held to 1.5 x 1 s: " + millis);

            c5.connect5("lazy5", true, 600, RawMqttClient.props(), null, null, null);
            byte[] connack = c5.read().body();
            // CONNACK properties: ... Server Keep Alive (0x13) = 1
            assertTrue(indexOf(connack, new byte[] {0x13, 0, 1}) > 0, "Server Keep Alive 1 in the CONNACK");
        } finally {
            broker.stop();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void maxSessionExpiryEndsAbandoned311SessionsAndCapsMqtt5() throws Exception {
        MqttBroker broker = start(BrokerConfig.builder().maxSessionExpirySeconds(1));
        try {
            try (RawMqttClient c = new RawMqttClient(broker.localAddress())) {
                c.connect("abandoned", false, 0, 4);
                c.read();
                c.subscribe(1, "x", 1);
                c.read();
            }
            Await.until(Duration.ofSeconds(5), "the session of abandoned to expire", () -> broker.sessionCount() == 0);
            try (RawMqttClient c = new RawMqttClient(broker.localAddress())) {
                c.connect("abandoned", false, 0, 4);
                assertEquals(0, c.read().body()[0], "the 3.1.1 persistent session ended after maxSessionExpirySeconds");
            }
            try (RawMqttClient c5 = new RawMqttClient(broker.localAddress())) {
                c5.connect5("long-lived", true, RawMqttClient.props().u32(0x11, 3600));
                byte[] connack = c5.read().body();
                assertTrue(indexOf(connack, new byte[] {0x11, 0, 0, 0, 1}) > 0, "CONNACK Session Expiry Interval 1");
            }
        } finally {
            broker.stop();
        }
    }

    @Test
    void fullQueueDropsTheOldestWhenConfigured() throws Exception {
        MqttBroker broker = start(BrokerConfig.builder().maxQueuedPerClient(3).queueOverflow(BrokerConfig.QueueOverflow.DROP_OLDEST));
        try {
            publishWhileAway(broker, 5);
            assertEquals(2, broker.droppedMessages(), "m1 and m2 dropped, counted");
            try (RawMqttClient c = new RawMqttClient(broker.localAddress())) {
                c.connect("away", false, 0, 4);
                c.read();
                assertEquals("m3", c.readPublish(false).payload());
                assertEquals("m4", c.readPublish(false).payload());
                assertEquals("m5", c.readPublish(false).payload());
            }
        } finally {
            broker.stop();
        }
    }

    /** A persistent session "away" subscribed to q/# goes offline, then m1..mN are published to it. */
    private static void publishWhileAway(MqttBroker broker, int n) throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.localAddress())) {
            c.connect("away", false, 0, 4);
            c.read();
            c.subscribe(1, "q/#", 1);
            c.read();
            c.disconnect();
        }
        // the DISCONNECT and the PUBLISHes below arrive on different event loops: wait until "away" is offline
        Await.until(Duration.ofSeconds(5), "the client away to be offline", () -> broker.connectedClients() == 0);
        try (RawMqttClient p = new RawMqttClient(broker.localAddress())) {
            p.connect("pub");
            p.read();
            for (int i = 1; i <= n; i++) {
                p.publish("q/" + i, "m" + i, 1, i);
                p.read();
            }
        }
    }

    @Test
    void fullQueueDropsNewMessagesByDefault() throws Exception {
        MqttBroker broker = start(BrokerConfig.builder().maxQueuedPerClient(2));
        try {
            publishWhileAway(broker, 4);
            assertEquals(2, broker.droppedMessages());
            try (RawMqttClient c = new RawMqttClient(broker.localAddress())) {
                c.connect("away", false, 0, 4);
                c.read();
                assertEquals("m1", c.readPublish(false).payload());
                assertEquals("m2", c.readPublish(false).payload());
            }
        } finally {
            broker.stop();
        }
    }

    /**
     * A subscriber that never reads while a publisher floods it with 200 MiB: QoS 0 is dropped once the
     * socket and a bounded backlog are full, QoS 1 waits in a bounded queue, and the heap stays flat.
     */
    @Test
    void slowSubscriberDoesNotGrowTheHeap() throws Exception {
        MqttBroker broker = start(BrokerConfig.builder().maxQueuedPerClient(1000));
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (RawMqttClient slow = new RawMqttClient(broker.localAddress());
             RawMqttClient fast = new RawMqttClient(broker.localAddress());
             Socket flood = new Socket("127.0.0.1", broker.localAddress().getPort())) {
            slow.connect("slow");
            slow.read();
            slow.subscribe(1, "flood/#", 1);
            slow.read();
            fast.connect("fast-reader");
            fast.read();
            fast.subscribe(1, "control", 0);
            fast.read();
            // the slow subscriber stops reading from here on

            System.gc();
            long before = memory.getHeapMemoryUsage().getUsed();
            OutputStream out = new BufferedOutputStream(flood.getOutputStream(), 1 << 16);
            out.write(connectPacket("flooder"));
            byte[] payload = new byte[1024];
            byte[] qos0 = publishPacket("flood/0", payload, 0, 0);
            for (int i = 0; i < 200_000; i++) {
                out.write(i % 10 == 0 ? publishPacket("flood/1", payload, 1, 1 + (i % 60_000)) : qos0);
            }
            out.flush();
            // the broker keeps serving others while the flood drains
            out.write(publishPacket("control", "alive".getBytes(StandardCharsets.UTF_8), 0, 0));
            out.flush();
            assertEquals("alive", fast.readPublish(false).payload());

            System.gc();
            long after = memory.getHeapMemoryUsage().getUsed();
            long grownMiB = (after - before) >> 20;
            assertTrue(grownMiB < 64, "heap grew by " + grownMiB + " MiB for 200 MiB sent to a reader that reads nothing");
            assertTrue(broker.droppedMessages() > 100_000, "QoS 0 and queue overflow dropped and counted: "
                    + broker.droppedMessages());
        } finally {
            broker.stop();
        }
    }

    private static byte[] connectPacket(String clientId) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        RawMqttClient.writeString(b, "MQTT");
        b.write(4);
        b.write(2);
        b.write(0);
        b.write(0);
        RawMqttClient.writeString(b, clientId);
        return packet(0x10, b.toByteArray());
    }

    private static byte[] publishPacket(String topic, byte[] payload, int qos, int packetId) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        RawMqttClient.writeString(b, topic);
        if (qos > 0) {
            b.write(packetId >> 8);
            b.write(packetId);
        }
        b.writeBytes(payload);
        return packet(0x30 | qos << 1, b.toByteArray());
    }

    private static byte[] packet(int header, byte[] body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(header);
        RawMqttClient.writeVarInt(b, body.length);
        b.writeBytes(body);
        return b.toByteArray();
    }

    @Test
    void sysTopicsReportConnectionsAndTraffic() throws Exception {
        MqttBroker broker = new MqttBroker(BrokerConfig.builder().tcp("127.0.0.1", 0).sysIntervalSeconds(1).build());
        broker.start();
        try (RawMqttClient watcher = new RawMqttClient(broker.localAddress())) {
            watcher.connect("sys-watcher");
            watcher.read();
            watcher.subscribe(1, "$SYS/broker/clients/connected", 0);
            watcher.read();
            String connected;
            do { // the retained value first (maybe still 0 from the start), then one a second
                connected = watcher.readPublish(false).payload();
            } while (!connected.equals("1"));
            try (RawMqttClient other = new RawMqttClient(broker.localAddress())) {
                other.connect("other");
                other.read();
                String value;
                do {
                    value = watcher.readPublish(false).payload();
                } while (!value.equals("2"));
            }
            watcher.subscribe(2, "$SYS/broker/messages/received", 0);
            watcher.read();
            long receivedBefore = Long.parseLong(watcher.readPublish(false).payload());
            watcher.publish("some/topic", "counted", 0, 0);
            watcher.publish("$SYS/broker/uptime", "forged", 0, 0); // counted as received, not routed
            long received;
            do {
                RawMqttClient.Publish p = watcher.readPublish(false);
                received = p.topic().equals("$SYS/broker/messages/received") ? Long.parseLong(p.payload()) : receivedBefore;
            } while (received < receivedBefore + 2);

            // subscribed first: a forged message would arrive at once, ahead of the next real value
            watcher.subscribe(3, "$SYS/broker/uptime", 0);
            watcher.publish("$SYS/broker/uptime", "forged", 0, 0);
            int uptimes = 0;
            while (uptimes < 2) {
                Packet packet = watcher.read();
                if (packet.type() != RawMqttClient.PUBLISH) {
                    continue; // the SUBACK
                }
                RawMqttClient.Publish p = RawMqttClient.parsePublish(packet, false);
                if (p.topic().equals("$SYS/broker/uptime")) {
                    assertTrue(p.payload().endsWith(" seconds"), "clients cannot publish to $SYS: got " + p.payload());
                    uptimes++;
                }
            }
        } finally {
            broker.stop();
        }
    }
}
