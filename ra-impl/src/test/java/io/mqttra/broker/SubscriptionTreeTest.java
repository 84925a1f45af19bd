package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The topic-filter trie alone: matching (MQTT 3.1.1 section 4.7), shared groups (MQTT 5.0 section 4.8.2), pruning. */
class SubscriptionTreeTest {

    private static final String PUBLISHER = "publisher";

    private final SubscriptionTree tree = new SubscriptionTree();

    /** A subscriber whose availability the test sets; the tree only hands it out, it never delivers. */
    static class Member implements Subscriber {
        private final String id;
        volatile boolean available = true;

        Member(String id) {
            this.id = id;
        }

        @Override
        public String subscriberId() {
            return id;
        }

        @Override
        public void deliver(PublishedMessage message, Delivery delivery) {
            throw new AssertionError("the tree matches; it does not deliver");
        }

        @Override
        public boolean isAvailable() {
            return available;
        }

        @Override
        public String toString() {
            return id;
        }
    }

    private Member subscribed(String id, String... filters) {
        Member m = new Member(id);
        for (String f : filters) {
            tree.subscribe(m, Subscription.to(f).qos(1).build());
        }
        return m;
    }

    private void share(Member m, String group, String filter) {
        tree.subscribe(m, Subscription.to(filter).sharedBy(group).qos(1).build());
    }

    /** The ids of the subscribers a message on {@code topic} goes to, one entry per delivery. */
    private List<String> receivers(String topic) {
        return tree.match(topic, PUBLISHER).stream().map(t -> t.subscriber().subscriberId()).sorted().toList();
    }

    private boolean matches(String filter, String topic) {
        SubscriptionTree alone = new SubscriptionTree();
        alone.subscribe(new Member("s"), Subscription.to(filter).build());
        return !alone.match(topic, PUBLISHER).isEmpty();
    }

    // ---- matching ----

    @Test
    void exactFilterMatchesOnlyItsOwnTopic() {
        assertTrue(matches("sport/tennis", "sport/tennis"));
        assertFalse(matches("sport/tennis", "sport/tennis/player1"));
        assertFalse(matches("sport/tennis", "sport"));
        assertFalse(matches("sport/tennis", "Sport/Tennis"), "topic levels are case sensitive");
    }

    @Test
    void singleLevelWildcardMatchesExactlyOneLevel_MQTT_4_7_1_3() {
        assertTrue(matches("sport/+/player1", "sport/tennis/player1"));
        assertFalse(matches("sport/+/player1", "sport/tennis/doubles/player1"));
        assertFalse(matches("sport/+/player1", "sport/player1"));
        assertTrue(matches("sport/+", "sport/"), "an empty level is a level");
        assertFalse(matches("+", "/finance"), "a leading '/' makes two levels");
        assertTrue(matches("+/+", "/finance"));
    }

    @Test
    void multiLevelWildcardMatchesTheParentAndEveryDescendant_MQTT_4_7_1_2() {
        assertTrue(matches("sport/tennis/#", "sport/tennis"), "the parent level");
        assertTrue(matches("sport/tennis/#", "sport/tennis/player1"));
        assertTrue(matches("sport/tennis/#", "sport/tennis/player1/ranking/wimbledon"));
        assertFalse(matches("sport/tennis/#", "sport/tennisplayer"));
        assertFalse(matches("sport/tennis/#", "sport"));
        assertTrue(matches("#", "sport/tennis"));
        assertTrue(matches("#", "/leading/slash"));
    }

    @Test
    void wildcardsAtTheFirstLevelDoNotMatchDollarTopics_MQTT_4_7_2_1() {
        assertFalse(matches("#", "$SYS/broker/uptime"));
        assertFalse(matches("+/broker/uptime", "$SYS/broker/uptime"));
        assertFalse(matches("+/#", "$SYS/broker/uptime"));
        assertTrue(matches("$SYS/#", "$SYS/broker/uptime"));
        assertTrue(matches("$SYS/+/uptime", "$SYS/broker/uptime"));
        assertTrue(matches("app/+", "app/$status"), "only the first level is special");
    }

    @Test
    void sharedWildcardSubscriptionDoesNotMatchDollarTopicsEither_MQTT_4_7_2_1() {
        share(new Member("worker"), "g", "#");
        assertEquals(List.of(), receivers("$SYS/broker/uptime"));
        assertEquals(List.of("worker"), receivers("jobs/1"));
    }

    @Test
    void overlappingSubscriptionsOfOneSubscriberGiveOneDeliveryWithTheHighestQosAndAllIdentifiers_MQTT_3_3_4_2() {
        Member m = new Member("m");
        tree.subscribe(m, Subscription.to("a/+").qos(0).subscriptionId(1).build());
        tree.subscribe(m, Subscription.to("a/#").qos(2).subscriptionId(7).build());
        tree.subscribe(m, Subscription.to("a/b").qos(1).build());
        List<SubscriptionTree.Target> targets = tree.match("a/b", PUBLISHER);
        assertEquals(1, targets.size(), "one delivery [MQTT-3.3.4-2]");
        SubscriptionTree.Match match = targets.get(0).match();
        assertEquals(2, match.qos);
        assertEquals(Set.of(1, 7), Set.copyOf(match.subscriptionIds), "every identifier that has one [MQTT-3.3.4-3]");
    }

    @Test
    void deliveryQosIsTheLowerOfPublishedAndGranted_MQTT_3_8_4_6() {
        Member m = new Member("m");
        tree.subscribe(m, Subscription.to("t").qos(1).build());
        SubscriptionTree.Match match = tree.match("t", PUBLISHER).get(0).match();
        assertEquals(1, match.toDelivery(message("t", 2)).qos());
        assertEquals(0, match.toDelivery(message("t", 0)).qos());
    }

    @Test
    void noLocalSubscriptionDoesNotMatchItsOwnPublications_MQTT_3_8_3_3() {
        Member me = new Member("me");
        tree.subscribe(me, Subscription.to("chat").noLocal(true).build());
        assertTrue(tree.match("chat", "me").isEmpty());
        assertEquals(1, tree.match("chat", "someone else").size());
    }

    @Test
    void subscribingAgainReplacesTheSubscription_MQTT_3_8_4_3() {
        Member m = new Member("m");
        assertFalse(tree.subscribe(m, Subscription.to("a/b").qos(0).build()), "new");
        assertTrue(tree.subscribe(m, Subscription.to("a/b").qos(2).build()), "existed");
        assertEquals(1, tree.size());
        assertEquals(2, tree.match("a/b", PUBLISHER).get(0).match().qos, "the new options apply");
    }

    // ---- shared subscriptions ----

    @Test
    void sharedGroupGivesEachMessageToOneMemberInTurn_MQTT_4_8_2() {
        Member a = new Member("a");
        Member b = new Member("b");
        share(a, "workers", "jobs/#");
        share(b, "workers", "jobs/#");
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            List<String> r = receivers("jobs/" + i);
            assertEquals(1, r.size(), "one member per message");
            picks.add(r.get(0));
        }
        assertEquals(List.of("a", "b", "a", "b", "a", "b"), picks);
    }

    @Test
    void sharedGroupSkipsAMemberThatCannotTakeAMessageNow() {
        Member busy = new Member("busy");
        Member idle = new Member("idle");
        share(busy, "workers", "jobs/#");
        share(idle, "workers", "jobs/#");
        busy.available = false;
        for (int i = 0; i < 4; i++) {
            assertEquals(List.of("idle"), receivers("jobs/" + i));
        }
    }

    @Test
    void sharedGroupStillDeliversWhenNoMemberIsAvailable() {
        Member a = new Member("a");
        Member b = new Member("b");
        share(a, "workers", "jobs/#");
        share(b, "workers", "jobs/#");
        a.available = false;
        b.available = false;
        assertEquals(1, receivers("jobs/1").size(), "queued at one member rather than lost");
    }

    @Test
    void eachSharedGroupAndEachOrdinarySubscriptionGetsItsOwnCopy() {
        Member a = new Member("a");
        Member b = new Member("b");
        share(a, "billing", "orders/#");
        share(b, "audit", "orders/#");
        tree.subscribe(a, Subscription.to("orders/+").build());
        assertEquals(List.of("a", "a", "b"), receivers("orders/1"),
                "one copy per group, and the member's ordinary subscription adds its own");
    }

    @Test
    void memberSubscribingAgainStaysOneMemberOfItsGroup() {
        Member a = new Member("a");
        Member b = new Member("b");
        share(a, "workers", "jobs/#");
        share(b, "workers", "jobs/#");
        assertTrue(tree.subscribe(a, Subscription.to("jobs/#").sharedBy("workers").qos(2).build()));
        assertEquals(2, tree.size());
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            picks.merge(receivers("jobs/" + i).get(0), 1, Integer::sum);
        }
        assertEquals(Map.of("a", 5, "b", 5), picks);
    }

    // ---- unsubscribe and pruning ----

    @Test
    void unsubscribeStopsMatchingAndSaysWhetherThereWasASubscription_MQTT_3_10_4_1() {
        Member m = subscribed("m", "a/b", "a/#");
        assertTrue(tree.unsubscribe(m, "a/b", null));
        assertFalse(tree.unsubscribe(m, "a/b", null), "already gone");
        assertFalse(tree.unsubscribe(new Member("other"), "a/#", null), "another subscriber's filter");
        assertEquals(List.of("m"), receivers("a/b"), "still through a/#");
        assertEquals(1, tree.size());
    }

    @Test
    void unsubscribingEverythingLeavesAnEmptyTree() {
        Member m = subscribed("m", "a/b/c", "a/b/#", "a/+/c", "#", "x");
        Member n = new Member("n");
        share(m, "g", "a/b/c");
        share(n, "g", "a/b/c");
        for (String f : List.of("a/b/c", "a/b/#", "a/+/c", "#", "x")) {
            assertTrue(tree.unsubscribe(m, f, null), f);
        }
        assertTrue(tree.unsubscribe(m, "a/b/c", "g"));
        assertTrue(tree.unsubscribe(n, "a/b/c", "g"));
        assertEquals(0, tree.size());
        assertTrue(tree.root.isEmpty(), "no node left behind: " + tree.root.children.keySet());
    }

    @Test
    void unsubscribePrunesOnlyTheBranchThatBecameEmpty() {
        Member m = subscribed("m", "a/b/c/d", "a/x");
        tree.unsubscribe(m, "a/b/c/d", null);
        assertEquals(Set.of("a"), tree.root.children.keySet());
        assertEquals(Set.of("x"), tree.root.children.get("a").children.keySet(), "a/b/c/d pruned up to a");
    }

    @Test
    void lastMemberLeavingRemovesItsGroup() {
        Member a = new Member("a");
        share(a, "g", "jobs");
        tree.subscribe(new Member("plain"), Subscription.to("jobs").build());
        tree.unsubscribe(a, "jobs", "g");
        assertTrue(tree.root.children.get("jobs").shared.isEmpty());
    }

    @Test
    void unsubscribingAnUnknownFilterAddsNoNodes() {
        assertFalse(tree.unsubscribe(new Member("m"), "never/subscribed/#", null));
        assertFalse(tree.unsubscribe(new Member("m"), "never/subscribed", "g"));
        assertTrue(tree.root.isEmpty());
    }

    // ---- concurrency ----

    @Test
    void memberLeavingItsGroupWhileAMessageIsMatchedDoesNotBreakTheMatch() {
        Member leaving = new Member("leaving");
        Member busy = new Member("busy") {
            @Override
            public boolean isAvailable() {
                // another thread's UNSUBSCRIBE, landing after pick() has read the group's size
                tree.unsubscribe(leaving, "jobs", "g");
                return false;
            }
        };
        share(busy, "g", "jobs");
        share(leaving, "g", "jobs");
        subscribed("plain", "jobs");
        List<String> receivers = assertDoesNotThrow(() -> receivers("jobs"));
        assertTrue(receivers.contains("plain"), "ordinary subscribers still get the message: " + receivers);
        assertEquals(2, receivers.size(), "and one member of the group: " + receivers);
    }

    private static PublishedMessage message(String topic, int qos) {
        return new PublishedMessage(topic, new byte[0], qos, false, PUBLISHER, null, System.currentTimeMillis(),
                PublishedMessage.Mqtt5Properties.NONE);
    }
}
