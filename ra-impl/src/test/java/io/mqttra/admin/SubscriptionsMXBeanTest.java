package io.mqttra.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import io.mqttra.api.management.BrokerMXBean;
import io.mqttra.api.management.ManagementNames;
import io.mqttra.api.management.SubscriberInfo;
import io.mqttra.api.management.SubscriptionsMXBean;
import io.mqttra.jca.MqttActivationSpec;
import io.mqttra.jca.inbound.FakeEndpointFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Subscriptions MXBean finds, for a topic or a filter, the subscriptions of real clients and beans
 * that can receive its messages, with their options, in a stable order and paged.
 */
class SubscriptionsMXBeanTest {

    private AdapterUnderTest adapter;
    private SubscriptionsMXBean subscriptions;
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();
    private final FakeEndpointFactory bean = FakeEndpointFactory.jms(m -> { });

    @BeforeEach
    void start() throws Exception {
        adapter = new AdapterUnderTest();
        subscriptions = adapter.mxbean(ManagementNames.SUBSCRIPTIONS, SubscriptionsMXBean.class);
    }

    @AfterEach
    void stop() {
        clients.forEach(Mqtt5BlockingClient::disconnect);
        adapter.close();
    }

    private Mqtt5BlockingClient client(String id) {
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(adapter.port())
                .buildBlocking();
        c.connect();
        clients.add(c);
        return c;
    }

    /** Clients on several filters, a shared group, $SYS, and a bean on sensors/room1/+. */
    private void subscribeAll() throws Exception {
        client("c-plus").subscribeWith().topicFilter("sensors/+/temp").qos(MqttQos.AT_LEAST_ONCE).noLocal(true)
                .retainAsPublished(true).retainHandling(Mqtt5RetainHandling.DO_NOT_SEND).send();
        client("c-under").subscribeWith().topicFilter("sensors/#").send();
        client("c-shared-b").subscribeWith().topicFilter("$share/g/sensors/room1/temp").qos(MqttQos.EXACTLY_ONCE).send();
        client("c-shared-a").subscribeWith().topicFilter("$share/g/sensors/room1/temp").send();
        client("c-humidity").subscribeWith().topicFilter("sensors/room2/humidity").send();
        client("c-other").subscribeWith().topicFilter("other/x").send();
        client("c-all").subscribeWith().topicFilter("#").send();
        client("c-sys").subscribeWith().topicFilter("$events/door/#").send();
        MqttActivationSpec spec = new MqttActivationSpec();
        spec.setTopicFilter("sensors/room1/+");
        adapter.activate(bean, spec);
    }

    private static List<String> rows(SubscriberInfo[] found) {
        return Arrays.stream(found).map(s -> s.filter() + (s.shareName() == null ? "" : " (" + s.shareName() + ")")
                + " " + s.subscriber()).toList();
    }

    private String mdb() {
        return "MDB " + bean.getEndpointClass().getName();
    }

    @Test
    void aTopicFindsEverySubscriptionThatReceivesIt_MQTT_4_7_1() throws Exception {
        subscribeAll();
        assertEquals(List.of("# c-all", "sensors/# c-under", "sensors/+/temp c-plus", "sensors/room1/+ " + mdb(),
                        "sensors/room1/temp (g) c-shared-a", "sensors/room1/temp (g) c-shared-b"),
                rows(subscriptions.find("sensors/room1/temp", 0, 100)),
                "by filter level by level, then share group, then subscriber");
        assertEquals(6, subscriptions.count("sensors/room1/temp"));
        assertEquals(List.of("# c-all", "sensors/# c-under"), rows(subscriptions.find("sensors/room3/co2", 0, 100)));
    }

    @Test
    void aFilterFindsEverySubscriptionThatCanReceiveOneOfItsTopics() throws Exception {
        subscribeAll();
        assertEquals(List.of("# c-all", "sensors/# c-under", "sensors/+/temp c-plus", "sensors/room1/+ " + mdb(),
                        "sensors/room1/temp (g) c-shared-a", "sensors/room1/temp (g) c-shared-b",
                        "sensors/room2/humidity c-humidity"),
                rows(subscriptions.find("sensors/#", 0, 100)), "everything under sensors/, and # above it");
        assertEquals(List.of("# c-all", "sensors/# c-under", "sensors/+/temp c-plus", "sensors/room2/humidity c-humidity"),
                rows(subscriptions.find("sensors/room2/+", 0, 100)), "sensors/room2/temp would reach c-plus");
        assertEquals(List.of("# c-all", "sensors/# c-under", "sensors/+/temp c-plus"),
                rows(subscriptions.find("+/room7/temp", 0, 100)), "a wildcard in the operator's filter meets one in theirs");
    }

    @Test
    void dollarTopicsAreFoundOnlyByFiltersThatCanMatchThem_MQTT_4_7_2_1() throws Exception {
        subscribeAll();
        assertEquals(List.of("$events/door/# c-sys"), rows(subscriptions.find("$events/door/7", 0, 100)),
                "# does not receive $ topics");
        assertEquals(List.of("$events/door/# c-sys"), rows(subscriptions.find("$events/#", 0, 100)));
        List<String> all = rows(subscriptions.find("#", 0, 100));
        assertTrue(all.stream().noneMatch(r -> r.startsWith("$")), "# cannot match a $ topic: " + all);
        assertEquals(List.of("# c-all", "other/x c-other"), all.stream().filter(r -> r.endsWith("c-all") || r.endsWith("c-other")).toList());
    }

    @Test
    void eachRowHasTheOptionsAndSaysWhetherAClientOrABeanHoldsIt() throws Exception {
        subscribeAll();
        SubscriberInfo plus = subscriptions.find("sensors/x/temp", 2, 1)[0];
        assertEquals(new SubscriberInfo("c-plus", true, "sensors/+/temp", null, 1, true, true, 2, plus.subscriptionId()), plus);
        SubscriberInfo shared = subscriptions.find("sensors/room1/temp", 5, 1)[0];
        assertEquals(new SubscriberInfo("c-shared-b", true, "sensors/room1/temp", "g", 2, false, false, 0,
                shared.subscriptionId()), shared);
        SubscriberInfo activation = subscriptions.find("sensors/room1/+", 3, 1)[0];
        assertEquals(mdb(), activation.subscriber());
        assertEquals(false, activation.mqttClient(), "a bean's activation");
        assertEquals(1, activation.qos());
    }

    @Test
    void pagesFollowOneAnotherInTheSameOrder() throws Exception {
        subscribeAll();
        List<String> whole = rows(subscriptions.find("sensors/#", 0, 100));
        List<String> paged = new ArrayList<>();
        for (int offset = 0; offset < whole.size(); offset += 2) {
            paged.addAll(rows(subscriptions.find("sensors/#", offset, 2)));
        }
        assertEquals(whole, paged);
        assertEquals(List.of(), rows(subscriptions.find("sensors/#", whole.size(), 10)));
        assertEquals(whole.size(), subscriptions.count("sensors/#"));
    }

    @Test
    void countIsTheBrokersSubscriptionCount() throws Exception {
        BrokerMXBean broker = adapter.mxbean(ManagementNames.BROKER, BrokerMXBean.class);
        int before = subscriptions.getCount();
        subscribeAll();
        assertEquals(before + 9, subscriptions.getCount(), "8 clients and a bean");
        assertEquals(broker.getSubscriptions(), subscriptions.getCount());
    }

    @Test
    void badArgumentsAreRefusedNamingTheParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> subscriptions.find("a/#/b", 0, 10));
        assertTrue(e.getMessage().startsWith("filter "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> subscriptions.count(""));
        assertThrows(IllegalArgumentException.class, () -> subscriptions.find("$share/g/a", 0, 10));
        assertThrows(IllegalArgumentException.class, () -> subscriptions.find("a", 0, 1001), "limit");
        assertThrows(IllegalArgumentException.class, () -> subscriptions.find("a", -1, 10), "offset");
    }
}
