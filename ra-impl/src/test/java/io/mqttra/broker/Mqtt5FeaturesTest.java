package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckRestrictions;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import io.mqttra.broker.RawMqttClient.Publish;
import io.mqttra.testing.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** MQTT 5.0 features with the HiveMQ MQTT client, Eclipse Paho v5 and raw packets. */
class Mqtt5FeaturesTest {

    private static final int RECEIVE_MAXIMUM = 3;

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension(BrokerConfig.builder()
            .maxInflightPerClient(RECEIVE_MAXIMUM)
            .maxKeepAliveSeconds(30));

    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @AfterEach
    void disconnectAll() {
        for (Mqtt5BlockingClient c : clients) {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        }
    }

    private Mqtt5BlockingClient hive(String id) {
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1")
                .serverPort(broker.address().getPort()).buildBlocking();
        clients.add(c);
        return c;
    }

    private Mqtt5BlockingClient connected(String id) {
        Mqtt5BlockingClient c = hive(id);
        c.connect();
        return c;
    }

    private static Mqtt5Publish next(Mqtt5BlockingClient.Mqtt5Publishes publishes) throws InterruptedException {
        Optional<Mqtt5Publish> p = publishes.receive(5, TimeUnit.SECONDS);
        assertTrue(p.isPresent(), "no message within 5 s");
        return p.get();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void connAckTellsTheServerLimits_MQTT_3_2_2_3() {
        Mqtt5ConnAck ack = hive("limits").connectWith().keepAlive(60).send();
        Mqtt5ConnAckRestrictions r = ack.getRestrictions();
        assertEquals(RECEIVE_MAXIMUM, r.getReceiveMaximum());
        assertEquals(BrokerConfig.DEFAULT_MAX_PACKET_SIZE, r.getMaximumPacketSize());
        assertEquals(BrokerConfig.DEFAULT_TOPIC_ALIAS_MAXIMUM, r.getTopicAliasMaximum());
        assertEquals(MqttQos.EXACTLY_ONCE, r.getMaximumQos());
        assertTrue(r.isRetainAvailable());
        assertTrue(r.isWildcardSubscriptionAvailable());
        assertTrue(r.isSharedSubscriptionAvailable());
        assertTrue(r.areSubscriptionIdentifiersAvailable());
        assertEquals(Optional.of(30), ack.getServerKeepAlive().stream().boxed().findFirst(),
                "keep-alive 60 is above the broker's maximum of 30 [MQTT-3.2.2-21]");
    }

    @Test
    void noLocalSuppressesTheClientsOwnMessages_MQTT_3_8_3_3() throws Exception {
        Mqtt5BlockingClient c = connected("chatty");
        c.subscribeWith().topicFilter("chat").noLocal(true).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient.Mqtt5Publishes publishes = c.publishes(MqttGlobalPublishFilter.ALL);
        c.publishWith().topic("chat").payload(bytes("mine")).qos(MqttQos.AT_LEAST_ONCE).send();
        connected("other").publishWith().topic("chat").payload(bytes("theirs")).qos(MqttQos.AT_LEAST_ONCE).send();
        // "theirs" is the marker: "mine" was routed before its PUBACK, which came before "theirs" was sent
        assertEquals("theirs", new String(next(publishes).getPayloadAsBytes(), StandardCharsets.UTF_8));
        publishes.close();
    }

    @Test
    void retainAsPublishedKeepsTheRetainFlagOnLiveMessages_MQTT_3_3_1_12() throws Exception {
        Mqtt5BlockingClient keep = connected("rap-1");
        keep.subscribeWith().topicFilter("rap/t").retainAsPublished(true).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient.Mqtt5Publishes kept = keep.publishes(MqttGlobalPublishFilter.ALL);
        Mqtt5BlockingClient clear = connected("rap-0");
        clear.subscribeWith().topicFilter("rap/t").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient.Mqtt5Publishes cleared = clear.publishes(MqttGlobalPublishFilter.ALL);

        connected("rap-pub").publishWith().topic("rap/t").payload(bytes("v")).retain(true).qos(MqttQos.AT_LEAST_ONCE).send();
        assertTrue(next(kept).isRetain());
        assertFalse(next(cleared).isRetain());
        kept.close();
        cleared.close();
    }

    @Test
    void retainHandlingDecidesWhenRetainedMessagesAreSent_MQTT_3_3_1_9_to_11() throws Exception {
        connected("rh-pub").publishWith().topic("rh/t").payload(bytes("kept")).retain(true).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient c = connected("rh-sub");
        Mqtt5BlockingClient.Mqtt5Publishes publishes = c.publishes(MqttGlobalPublishFilter.ALL);

        // after each SUBSCRIBE the subscriber publishes a marker itself: its PUBLISH is read after the
        // SUBSCRIBE was handled, so a retained message sent for it would come before the marker
        c.subscribeWith().topicFilter("rh/t").retainHandling(Mqtt5RetainHandling.DO_NOT_SEND).send();
        c.publishWith().topic("rh/t").payload(bytes("marker 2")).qos(MqttQos.AT_LEAST_ONCE).send();
        assertEquals("marker 2", new String(next(publishes).getPayloadAsBytes(), StandardCharsets.UTF_8), "2: never");

        c.subscribeWith().topicFilter("rh/t").retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST).send();
        c.publishWith().topic("rh/t").payload(bytes("marker 1")).qos(MqttQos.AT_LEAST_ONCE).send();
        assertEquals("marker 1", new String(next(publishes).getPayloadAsBytes(), StandardCharsets.UTF_8),
                "1: the subscription existed");

        c.subscribeWith().topicFilter("rh/+").retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST).send();
        assertTrue(next(publishes).isRetain(), "1: a new subscription");

        c.subscribeWith().topicFilter("rh/t").retainHandling(Mqtt5RetainHandling.SEND).send();
        assertEquals("kept", new String(next(publishes).getPayloadAsBytes(), StandardCharsets.UTF_8), "0: always");
        publishes.close();
    }

    @Test
    void sharedSubscriptionGivesEachMessageToOneMemberOfTheGroup_MQTT_4_8_2() throws Exception {
        Mqtt5BlockingClient a = connected("worker-a");
        Mqtt5BlockingClient b = connected("worker-b");
        Mqtt5BlockingClient audit = connected("auditor");
        for (Mqtt5BlockingClient w : List.of(a, b)) {
            w.subscribeWith().topicFilter("$share/workers/jobs/#").qos(MqttQos.AT_LEAST_ONCE).send();
            w.subscribeWith().topicFilter("jobs-done").qos(MqttQos.AT_LEAST_ONCE).send();
        }
        audit.subscribeWith().topicFilter("jobs/#").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient.Mqtt5Publishes pa = a.publishes(MqttGlobalPublishFilter.ALL);
        Mqtt5BlockingClient.Mqtt5Publishes pb = b.publishes(MqttGlobalPublishFilter.ALL);
        Mqtt5BlockingClient.Mqtt5Publishes all = audit.publishes(MqttGlobalPublishFilter.ALL);

        Mqtt5BlockingClient pub = connected("dispatcher");
        for (int i = 0; i < 10; i++) {
            pub.publishWith().topic("jobs/" + i).payload(bytes("job " + i)).qos(MqttQos.AT_LEAST_ONCE).send();
        }
        // every worker gets the marker after its share: same publisher and QoS, one queue per worker
        pub.publishWith().topic("jobs-done").payload(bytes("done")).qos(MqttQos.AT_LEAST_ONCE).send();
        for (int i = 0; i < 10; i++) {
            next(all);
        }
        int countA = jobsBeforeTheMarker(pa);
        int countB = jobsBeforeTheMarker(pb);
        assertEquals(10, countA + countB, "each message to exactly one member");
        assertTrue(countA > 0 && countB > 0, "spread over both members: " + countA + "/" + countB);
        pa.close();
        pb.close();
        all.close();
    }

    private static int jobsBeforeTheMarker(Mqtt5BlockingClient.Mqtt5Publishes publishes) throws InterruptedException {
        int jobs = 0;
        while (!next(publishes).getTopic().toString().equals("jobs-done")) {
            jobs++;
        }
        return jobs;
    }

    @Test
    void sharedSubscriptionGetsNoRetainedMessages() throws Exception {
        // QoS 1: send() returns at PUBACK, so the broker holds it as retained before the subscription exists;
        // at QoS 0 it could arrive after the SUBSCRIBE and be delivered live (a clean-clone run saw "r")
        connected("sr-pub").publishWith().topic("sr/t").payload(bytes("r")).retain(true).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient c = connected("sr-sub");
        Mqtt5BlockingClient.Mqtt5Publishes publishes = c.publishes(MqttGlobalPublishFilter.ALL);
        c.subscribeWith().topicFilter("$share/g/sr/t").send();
        // the member's own PUBLISH is read after its SUBSCRIBE was handled: a retained message would come first
        c.publishWith().topic("sr/t").payload(bytes("live")).send();
        assertEquals("live", new String(next(publishes).getPayloadAsBytes(), StandardCharsets.UTF_8),
                "no retained message, but the subscription is live");
        publishes.close();
    }

    @Test
    void subscriptionIdentifiersComeBackWithMatchingMessages_MQTT_3_3_4_3() throws Exception {
        MqttAsyncClient paho = new MqttAsyncClient(broker.uri(), "paho-subid", new MemoryPersistence());
        paho.connect(new MqttConnectionOptions()).waitForCompletion(5000);
        BlockingQueue<org.eclipse.paho.mqttv5.common.MqttMessage> got = new LinkedBlockingQueue<>();
        // Paho 1.2.5 sends the single identifier, and reads it from the list when a listener is given
        MqttProperties props = new MqttProperties();
        props.setSubscriptionIdentifier(42);
        props.setSubscriptionIdentifiers(List.of(42));
        paho.subscribe(new MqttSubscription("ids/+", 1), null, null, (t, m) -> got.add(m), props).waitForCompletion(5000);
        MqttProperties props2 = new MqttProperties();
        props2.setSubscriptionIdentifier(7);
        props2.setSubscriptionIdentifiers(List.of(7));
        paho.subscribe(new MqttSubscription("ids/#", 0), null, null, (t, m) -> { }, props2).waitForCompletion(5000);

        connected("ids-pub").publishWith().topic("ids/a").payload(bytes("x")).qos(MqttQos.AT_LEAST_ONCE).send();
        org.eclipse.paho.mqttv5.common.MqttMessage m = got.poll(5, TimeUnit.SECONDS);
        assertNotNull(m);
        assertEquals(List.of(42, 7), m.getProperties().getSubscriptionIdentifiers().stream().sorted((x, y) -> y - x).toList(),
                "one copy, with the identifiers of both matching subscriptions [MQTT-3.3.4-4]");
        assertEquals(1, m.getQos(), "with the higher granted QoS");
        paho.disconnect().waitForCompletion(5000);
        paho.close();
    }

    @Test
    void pahoV5Qos2RoundTrip() throws Exception {
        MqttAsyncClient paho = new MqttAsyncClient(broker.uri(), "paho-v5", new MemoryPersistence());
        paho.connect(new MqttConnectionOptions()).waitForCompletion(5000);
        BlockingQueue<org.eclipse.paho.mqttv5.common.MqttMessage> got = new LinkedBlockingQueue<>();
        MqttProperties subscriptionProps = new MqttProperties();
        subscriptionProps.setSubscriptionIdentifiers(List.of(5)); // Paho 1.2.5 needs one with a listener
        paho.subscribe(new MqttSubscription("p5/q2", 2), null, null, (t, m) -> got.add(m), subscriptionProps)
                .waitForCompletion(5000);
        paho.publish("p5/q2", bytes("exactly once"), 2, false).waitForCompletion(5000);
        org.eclipse.paho.mqttv5.common.MqttMessage m = got.poll(5, TimeUnit.SECONDS);
        assertNotNull(m);
        assertEquals(2, m.getQos());
        // same client, topic and QoS: a second copy would come before the marker
        paho.publish("p5/q2", bytes("marker"), 2, false).waitForCompletion(5000);
        org.eclipse.paho.mqttv5.common.MqttMessage marker = got.poll(5, TimeUnit.SECONDS);
        assertNotNull(marker);
        assertEquals("marker", new String(marker.getPayload(), StandardCharsets.UTF_8), "delivered once");
        paho.disconnect().waitForCompletion(5000);
        paho.close();
    }

    @Test
    void pubAckSaysNoMatchingSubscribers_MQTT_3_4_2_1() {
        Mqtt5BlockingClient c = connected("lonely");
        Mqtt5PublishResult r = c.publishWith().topic("nobody/listens").payload(bytes("?")).qos(MqttQos.AT_LEAST_ONCE).send();
        assertEquals(Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS,
                ((Mqtt5PublishResult.Mqtt5Qos1Result) r).getPubAck().getReasonCode());
    }

    @Test
    void messageTooBigForTheSubscriberIsDroppedForItOnly_MQTT_3_1_2_25() throws Exception {
        Mqtt5BlockingClient small = Mqtt5Client.builder().identifier("small").serverHost("127.0.0.1")
                .serverPort(broker.address().getPort()).buildBlocking();
        clients.add(small);
        small.connectWith().restrictions().maximumPacketSize(100).applyRestrictions().send();
        small.subscribeWith().topicFilter("size/#").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient big = connected("big");
        big.subscribeWith().topicFilter("size/#").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient.Mqtt5Publishes ps = small.publishes(MqttGlobalPublishFilter.ALL);
        Mqtt5BlockingClient.Mqtt5Publishes pb = big.publishes(MqttGlobalPublishFilter.ALL);

        Mqtt5BlockingClient pub = connected("size-pub");
        pub.publishWith().topic("size/large").payload(new byte[500]).qos(MqttQos.AT_LEAST_ONCE).send();
        pub.publishWith().topic("size/small").payload(bytes("ok")).qos(MqttQos.AT_LEAST_ONCE).send();
        assertEquals("size/small", next(ps).getTopic().toString(), "the large one was skipped, the flow goes on");
        assertEquals("size/large", next(pb).getTopic().toString());
        ps.close();
        pb.close();
    }

    @Test
    void sessionTakeoverSendsDisconnect0x8E_MQTT_3_1_4_3() throws Exception {
        CompletableFuture<Mqtt5DisconnectReasonCode> reason = new CompletableFuture<>();
        Mqtt5BlockingClient first = Mqtt5Client.builder().identifier("twin").serverHost("127.0.0.1")
                .serverPort(broker.address().getPort())
                .addDisconnectedListener(ctx -> {
                    if (ctx.getCause() instanceof com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException e) {
                        reason.complete(e.getMqttMessage().getReasonCode());
                    }
                })
                .buildBlocking();
        first.connect();
        connected("twin");
        assertEquals(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER, reason.get(5, TimeUnit.SECONDS));
    }

    @Test
    void requestResponseWithResponseTopicAndCorrelationData() throws Exception {
        Mqtt5BlockingClient responder = connected("responder");
        responder.subscribeWith().topicFilter("service/time").send();
        Mqtt5BlockingClient.Mqtt5Publishes requests = responder.publishes(MqttGlobalPublishFilter.ALL);
        Mqtt5BlockingClient requester = connected("requester");
        requester.subscribeWith().topicFilter("replies/requester").send();
        Mqtt5BlockingClient.Mqtt5Publishes replies = requester.publishes(MqttGlobalPublishFilter.ALL);

        requester.publishWith().topic("service/time").responseTopic("replies/requester")
                .correlationData(bytes("req-1")).payload(bytes("now?")).send();
        Mqtt5Publish request = next(requests);
        responder.publishWith().topic(request.getResponseTopic().orElseThrow())
                .correlationData(request.getCorrelationData().orElseThrow()).payload(bytes("12:00")).send();
        Mqtt5Publish reply = next(replies);
        assertEquals("12:00", new String(reply.getPayloadAsBytes(), StandardCharsets.UTF_8));
        assertEquals("req-1", StandardCharsets.UTF_8.decode(reply.getCorrelationData().orElseThrow()).toString());
        requests.close();
        replies.close();
    }

    // ---- raw packets, where the exact bytes are the point ----

    @Test
    void topicAliasesFromTheClientAreResolved_MQTT_3_3_2_12() throws Exception {
        Mqtt5BlockingClient sub = connected("alias-sub");
        sub.subscribeWith().topicFilter("alias/#").send();
        Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL);
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect5("alias-pub", true, RawMqttClient.props());
            c.read();
            c.publish5("alias/long/topic/name", 0, 0, RawMqttClient.props().u16(0x23, 3), "first");
            c.publish5("", 0, 0, RawMqttClient.props().u16(0x23, 3), "second");
            assertEquals("alias/long/topic/name", next(publishes).getTopic().toString());
            Mqtt5Publish second = next(publishes);
            assertEquals("alias/long/topic/name", second.getTopic().toString());
            assertEquals("second", new String(second.getPayloadAsBytes(), StandardCharsets.UTF_8));

            c.publish5("alias/x", 0, 0, RawMqttClient.props().u16(0x23, BrokerConfig.DEFAULT_TOPIC_ALIAS_MAXIMUM + 1), "bad");
            assertEquals(0x94, c.readDisconnectReason(), "Topic Alias invalid [MQTT-3.3.2-9]");
            c.awaitClose(2000);
        }
        publishes.close();
    }

    @Test
    void topicAliasesTowardsTheClientWhenItAllowsThem_MQTT_3_3_2_7() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect5("alias-receiver", true, RawMqttClient.props().u16(0x22, 2));
            c.read();
            c.subscribe5(1, RawMqttClient.props(), "to-client/#", 0);
            c.read();
            Mqtt5BlockingClient pub = connected("alias-source");
            pub.publishWith().topic("to-client/a").payload(bytes("1")).send();
            pub.publishWith().topic("to-client/a").payload(bytes("2")).send();
            Publish first = c.readPublish(true);
            Publish second = c.readPublish(true);
            assertEquals("to-client/a", first.topic());
            assertEquals(1, first.property(0x23), "topic and a new alias");
            assertEquals("", second.topic(), "the alias alone");
            assertEquals(1, second.property(0x23));
        }
    }

    @Test
    void receiveMaximumOfTheClientLimitsUnacknowledgedMessages_MQTT_3_3_4_9() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect5("slow", true, RawMqttClient.props().u16(0x21, 2));
            c.read();
            c.subscribe5(1, RawMqttClient.props(), "flow/#", 1);
            c.read();
            Mqtt5BlockingClient pub = connected("fast");
            for (int i = 0; i < 5; i++) {
                pub.publishWith().topic("flow/" + i).payload(bytes("m" + i)).qos(MqttQos.AT_LEAST_ONCE).send();
            }
            Publish p0 = c.readPublish(true);
            Publish p1 = c.readPublish(true);
            c.pingReq();
            assertEquals(RawMqttClient.PINGRESP, c.read().type(), "no third PUBLISH while two are unacknowledged");
            c.ack(4, p0.packetId());
            assertEquals("m2", c.readPublish(true).payload(), "one acknowledged, one more sent");
            assertEquals("m1", p1.payload());
        }
    }

    @Test
    void tooManyUnreleasedQos2MessagesExceedTheServersReceiveMaximum_MQTT_3_3_4_8() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect5("flooder", true, RawMqttClient.props());
            c.read();
            for (int i = 1; i <= RECEIVE_MAXIMUM; i++) {
                c.publish5("q2/flood", 2, i, RawMqttClient.props(), "x");
                assertEquals(5, c.read().type(), "PUBREC");
            }
            c.publish5("q2/flood", 2, RECEIVE_MAXIMUM + 1, RawMqttClient.props(), "x");
            assertEquals(0x93, c.readDisconnectReason(), "Receive Maximum exceeded");
        }
    }

    @Test
    void expiredMessagesAreNotDeliveredAndTheRestHaveTheirRemainingInterval_MQTT_3_3_2_5() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect5("expiring", true, RawMqttClient.props().u32(0x11, 60));
            c.read();
            c.subscribe5(1, RawMqttClient.props(), "exp/#", 1);
            c.read();
        } // offline; the session stays for 60 s
        Mqtt5BlockingClient pub = connected("exp-pub");
        pub.publishWith().topic("exp/short").payload(bytes("short")).messageExpiryInterval(1).qos(MqttQos.AT_LEAST_ONCE).send();
        pub.publishWith().topic("exp/long").payload(bytes("long")).messageExpiryInterval(100).qos(MqttQos.AT_LEAST_ONCE).send();
        Thread.sleep(2100);
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect5("expiring", false, RawMqttClient.props().u32(0x11, 60));
            assertEquals(1, c.read().body()[0], "session present");
            Publish p = c.readPublish(true);
            assertEquals("long", p.payload(), "the expired one is gone");
            long remaining = (Long) p.property(0x02);
            assertTrue(remaining <= 98 && remaining >= 90, "remaining interval forwarded: " + remaining);
        }
    }

    @Test
    void sessionExpiresAfterItsInterval_MQTT_3_1_2_11_2() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect5("short-lived", true, RawMqttClient.props().u32(0x11, 1));
            c.read();
            c.disconnect();
        }
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect5("short-lived", false, RawMqttClient.props().u32(0x11, 1));
            assertEquals(1, c.read().body()[0], "still present right away");
            c.disconnect();
        }
        Await.until(Duration.ofSeconds(5), "the session of short-lived to expire", () -> broker.broker().sessionCount() == 0);
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect5("short-lived", false, RawMqttClient.props());
            assertEquals(0, c.read().body()[0], "expired after 1 s");
        }
    }

    @Test
    void willDelayHoldsTheWillBack_MQTT_3_1_3_9() throws Exception {
        Mqtt5BlockingClient watcher = connected("watcher");
        watcher.subscribeWith().topicFilter("wills/#").send();
        Mqtt5BlockingClient.Mqtt5Publishes wills = watcher.publishes(MqttGlobalPublishFilter.ALL);
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect5("delayed", true, 0, RawMqttClient.props().u32(0x11, 60), "wills/delayed",
                    RawMqttClient.props().u32(0x18, 1), "gone");
            c.read();
        } // dropped without DISCONNECT
        long start = System.nanoTime();
        assertEquals("wills/delayed", next(wills).getTopic().toString());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis >= 900, "not before the delay of 1 s: after " + millis + " ms");
        wills.close();
    }

    @Test
    void reconnectWithinTheWillDelayCancelsTheWill_MQTT_3_1_3_9() throws Exception {
        // one I/O thread: will timers run on it in the order they fall due, so the marker's will, due after
        // the one of "comeback", is routed after it would have been
        MqttBroker oneThread = new MqttBroker(BrokerConfig.builder().tcp("127.0.0.1", 0).ioThreads(1)
                .sysIntervalSeconds(0).build());
        oneThread.start();
        try (RawMqttClient watcher = new RawMqttClient(oneThread.localAddress())) {
            watcher.connect("watcher");
            watcher.read();
            watcher.subscribe(1, "wills/#", 1);
            watcher.read();
            try (RawMqttClient c = new RawMqttClient(oneThread.localAddress())) {
                c.connect5("comeback", true, 0, RawMqttClient.props().u32(0x11, 60), "wills/comeback",
                        RawMqttClient.props().u32(0x18, 1), "gone");
                c.read();
            } // dropped without DISCONNECT
            try (RawMqttClient c = new RawMqttClient(oneThread.localAddress())) {
                c.connect5("comeback", false, RawMqttClient.props().u32(0x11, 60));
                c.read();
                // the first connection's end is handled, and a will timer it left scheduled, before the marker's
                Await.until(Duration.ofSeconds(5), "the end of comeback's first connection",
                        () -> oneThread.connectedClients() == 2);
                try (RawMqttClient marker = new RawMqttClient(oneThread.localAddress())) {
                    marker.connect5("marker", true, 0, RawMqttClient.props().u32(0x11, 60), "wills/marker",
                            RawMqttClient.props().u32(0x18, 1), "marker");
                    marker.read();
                } // dropped without DISCONNECT
                assertEquals("wills/marker", watcher.readPublish(false).topic(), "back within the delay: no will");
            }
        } finally {
            oneThread.stop();
        }
    }

    @Test
    void disconnectWithReason0x04PublishesTheWill_MQTT_3_14_2_1() throws Exception {
        Mqtt5BlockingClient watcher = connected("watcher-04");
        watcher.subscribeWith().topicFilter("wills/#").send();
        Mqtt5BlockingClient.Mqtt5Publishes wills = watcher.publishes(MqttGlobalPublishFilter.ALL);
        Mqtt5BlockingClient c = hive("leaving");
        c.connectWith().willPublish().topic("wills/leaving").payload(bytes("bye")).applyWillPublish().send();
        c.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
        assertEquals("wills/leaving", next(wills).getTopic().toString());
        wills.close();
    }

    @Test
    void disconnectWithAnErrorReasonKeepsTheWill_MQTT_3_14_4_3() throws Exception {
        Mqtt5BlockingClient watcher = connected("watcher-err");
        watcher.subscribeWith().topicFilter("wills/#").send();
        Mqtt5BlockingClient.Mqtt5Publishes wills = watcher.publishes(MqttGlobalPublishFilter.ALL);
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect5("erring", true, 0, RawMqttClient.props(), "wills/erring", RawMqttClient.props(), "gone");
            c.read();
            c.sendPacket(0xE0, new byte[] {(byte) 0x80, 0}); // DISCONNECT, Unspecified error
            c.awaitClose(2000);
        }
        assertEquals("wills/erring", next(wills).getTopic().toString(), "only reason 0x00 discards the will");
        wills.close();
    }

    @Test
    void takeoverOfASessionWithExpiry0StartsAfresh_MQTT_3_1_2_6() throws Exception {
        try (RawMqttClient first = new RawMqttClient(broker.address());
             RawMqttClient second = new RawMqttClient(broker.address())) {
            first.connect5("ephemeral", true, RawMqttClient.props());
            first.read();
            second.connect5("ephemeral", false, RawMqttClient.props().u32(0x11, 60));
            assertEquals(0, second.read().body()[0], "no session present: the first one was to end with its connection");
        }
    }

    @Test
    void enhancedAuthenticationIsRefusedWith0x8C_MQTT_4_12_0_1() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect5("scram", true, RawMqttClient.props().string(0x15, "SCRAM-SHA-1"));
            RawMqttClient.Packet connack = c.read();
            assertEquals(RawMqttClient.CONNACK, connack.type());
            assertEquals(0x8C, connack.body()[1] & 0xFF, "Bad authentication method");
            c.awaitClose(2000);
        }
    }

    @Test
    void unknownPubrelGetsPubcompWith0x92() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.address())) {
            c.connect5("confused", true, RawMqttClient.props());
            c.read();
            c.ack(6, 77);
            RawMqttClient.Packet pubcomp = c.read();
            assertEquals(7, pubcomp.type());
            assertArrayEquals(new byte[] {0, 77, (byte) 0x92}, java.util.Arrays.copyOf(pubcomp.body(), 3),
                    "packet identifier 77, Packet Identifier not found");
        }
    }
}
