package io.mqttra.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mqttra.broker.ClientIdentity;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What clients may publish and subscribe to under rules, the built-in rules and no rules at all. */
class RuleAuthorizerTest {

    private static final String ADMIN_ROLE = "mqtt-admin";
    private static final Predicate<String> RESERVED = Set.of("orders", "audit")::contains;

    private static final ClientIdentity ALICE = ClientIdentity.of("alice", Set.of("operators"));
    private static final ClientIdentity BOB = ClientIdentity.of("bob", Set.of());
    private static final ClientIdentity ROOT = ClientIdentity.of("root", Set.of(ADMIN_ROLE));
    private static final ClientIdentity ANONYMOUS = ClientIdentity.ANONYMOUS;
    private static final ClientIdentity EMPTY_NAME = ClientIdentity.of("", Set.of());

    private static RuleAuthorizer rules(String text) {
        return new RuleAuthorizer(AccessRules.parse(text, "test"), ADMIN_ROLE, RESERVED);
    }

    private static final RuleAuthorizer NO_RULES = new RuleAuthorizer(AccessRules.EMPTY, ADMIN_ROLE, RESERVED);

    // ---- no rules at all

    @Test
    void withoutRulesEveryClientMayPublishAndSubscribeAnything() {
        for (ClientIdentity who : new ClientIdentity[] {ANONYMOUS, BOB, EMPTY_NAME}) {
            assertTrue(NO_RULES.mayPublish("c1", who, "a/b"), who.toString());
            assertTrue(NO_RULES.maySubscribe("c1", who, "#", null), who.toString());
            assertTrue(NO_RULES.maySubscribe("c1", who, "$other/x", null), who.toString());
            assertTrue(NO_RULES.maySubscribe("c1", who, "a/+", "workers"), who.toString());
        }
    }

    @Test
    void withoutRulesTheBuiltInRulesAndReservedGroupsStillHold() {
        assertFalse(NO_RULES.mayPublish("c1", ROOT, "$SYS/broker/uptime"));
        assertFalse(NO_RULES.mayPublish("c1", BOB, "$other"));
        assertFalse(NO_RULES.maySubscribe("c1", BOB, "$SYS/#", null));
        assertTrue(NO_RULES.maySubscribe("c1", ROOT, "$SYS/#", null));
        assertFalse(NO_RULES.maySubscribe("c1", BOB, "jobs/#", "orders"));
        assertFalse(NO_RULES.maySubscribe("c1", ROOT, "jobs/#", "orders"));
    }

    @Test
    void onceThereIsARuleWhatNoRuleAllowsIsDenied() {
        RuleAuthorizer authorizer = rules("allow user:bob publish a");
        assertTrue(authorizer.mayPublish("c1", BOB, "a"));
        assertFalse(authorizer.mayPublish("c1", BOB, "b"));
        assertFalse(authorizer.maySubscribe("c1", BOB, "a", null));
        assertFalse(authorizer.mayPublish("c1", ALICE, "a"));
    }

    // ---- evaluation

    @Test
    void denyOverridesAllowWhateverTheOrder() {
        for (String text : new String[] {
                "allow all all a/#\ndeny all publish a/secret/#", "deny all publish a/secret/#\nallow all all a/#"}) {
            RuleAuthorizer authorizer = rules(text);
            assertTrue(authorizer.mayPublish("c1", BOB, "a/public"));
            assertFalse(authorizer.mayPublish("c1", BOB, "a/secret/x"));
            assertFalse(authorizer.mayPublish("c1", BOB, "a/secret"), "a/secret/# also matches a/secret");
        }
    }

    @Test
    void aDenyForOneUserDoesNotTouchOthers() {
        RuleAuthorizer authorizer = rules("allow all all a/#\ndeny user:bob all a/b");
        assertFalse(authorizer.mayPublish("c1", BOB, "a/b"));
        assertTrue(authorizer.mayPublish("c1", ALICE, "a/b"));
    }

    @Test
    void publishAndSubscribeAreGrantedSeparately() {
        RuleAuthorizer authorizer = rules("allow all publish in/#\nallow all subscribe out/#");
        assertTrue(authorizer.mayPublish("c1", BOB, "in/x"));
        assertFalse(authorizer.maySubscribe("c1", BOB, "in/x", null));
        assertTrue(authorizer.maySubscribe("c1", BOB, "out/x", null));
        assertFalse(authorizer.mayPublish("c1", BOB, "out/x"));
    }

    @Test
    void aSubscriptionIsGrantedOnlyWhenAnAllowPatternCoversTheWholeFilter() {
        RuleAuthorizer authorizer = rules("allow all subscribe a/#\nallow all subscribe b/+");
        assertTrue(authorizer.maySubscribe("c1", BOB, "a/+/b", null));
        assertTrue(authorizer.maySubscribe("c1", BOB, "a/#", null));
        assertTrue(authorizer.maySubscribe("c1", BOB, "a", null));
        assertTrue(authorizer.maySubscribe("c1", BOB, "b/x", null));
        assertFalse(authorizer.maySubscribe("c1", BOB, "b/#", null));
        assertFalse(authorizer.maySubscribe("c1", BOB, "#", null));
        assertFalse(authorizer.maySubscribe("c1", BOB, "+/x", null));
    }

    @Test
    void aSubscriptionIsRefusedWhenADenyPatternOverlapsItSoNoDeniedMessageIsEverDelivered() {
        RuleAuthorizer authorizer = rules("allow all subscribe a/#\ndeny all subscribe a/secret/#");
        assertFalse(authorizer.maySubscribe("c1", BOB, "a/#", null));
        assertFalse(authorizer.maySubscribe("c1", BOB, "a/+/x", null));
        assertFalse(authorizer.maySubscribe("c1", BOB, "a/secret", null));
        assertTrue(authorizer.maySubscribe("c1", BOB, "a/public/#", null));
    }

    @Test
    void aSingleLevelWildcardOverlapsTheParentOfADeniedTree() {
        assertFalse(rules("allow all subscribe a/#\ndeny all subscribe a/secret/#").maySubscribe("c1", BOB, "a/+", null));
    }

    // ---- who

    @Test
    void userRulesApplyToThatUserOnlyAndNeverToAnonymousClients() {
        RuleAuthorizer authorizer = rules("allow user:bob all bob/#");
        assertTrue(authorizer.mayPublish("c1", BOB, "bob/x"));
        assertFalse(authorizer.mayPublish("c1", ALICE, "bob/x"));
        assertFalse(authorizer.mayPublish("bob", ANONYMOUS, "bob/x"), "a client id is not a user name");
    }

    @Test
    void roleRulesApplyToClientsHavingTheRole() {
        RuleAuthorizer authorizer = rules("allow role:operators all plant/#");
        assertTrue(authorizer.maySubscribe("c1", ALICE, "plant/#", null));
        assertFalse(authorizer.maySubscribe("c1", BOB, "plant/#", null));
        assertFalse(authorizer.maySubscribe("c1", ANONYMOUS, "plant/#", null));
    }

    @Test
    void clientRulesApplyToThatClientIdWhoeverIsBehindIt() {
        RuleAuthorizer authorizer = rules("allow client:sensor-1 publish devices/sensor-1/#\ndeny client:sensor-1 publish devices/sensor-1/config");
        assertTrue(authorizer.mayPublish("sensor-1", ANONYMOUS, "devices/sensor-1/temp"));
        assertTrue(authorizer.mayPublish("sensor-1", BOB, "devices/sensor-1/temp"));
        assertFalse(authorizer.mayPublish("sensor-1", BOB, "devices/sensor-1/config"));
        assertFalse(authorizer.mayPublish("sensor-2", ANONYMOUS, "devices/sensor-1/temp"));
    }

    @Test
    void anonymousRulesApplyOnlyToClientsWithoutUserName() {
        RuleAuthorizer authorizer = rules("allow anonymous subscribe public/#");
        assertTrue(authorizer.maySubscribe("c1", ANONYMOUS, "public/#", null));
        assertFalse(authorizer.maySubscribe("c1", BOB, "public/#", null));
        assertFalse(authorizer.maySubscribe("c1", EMPTY_NAME, "public/#", null), "an empty user name is a name");
    }

    @Test
    void allRulesApplyToEveryone() {
        RuleAuthorizer authorizer = rules("allow all subscribe news/#");
        for (ClientIdentity who : new ClientIdentity[] {ANONYMOUS, BOB, ALICE, ROOT, EMPTY_NAME}) {
            assertTrue(authorizer.maySubscribe("c1", who, "news/#", null), who.toString());
        }
    }

    // ---- placeholders

    @Test
    void clientIdPlaceholderGivesEachClientItsOwnTopics() {
        RuleAuthorizer authorizer = rules("allow all all devices/%c/#");
        assertTrue(authorizer.mayPublish("c1", ANONYMOUS, "devices/c1/temp"));
        assertTrue(authorizer.maySubscribe("c1", ANONYMOUS, "devices/c1/#", null));
        assertFalse(authorizer.mayPublish("c1", ANONYMOUS, "devices/c2/temp"));
        assertFalse(authorizer.maySubscribe("c1", ANONYMOUS, "devices/+/temp", null));
    }

    @Test
    void userPlaceholderGivesEachUserItsOwnTopics() {
        RuleAuthorizer authorizer = rules("allow all subscribe users/%u/inbox\nallow all publish logs/%u-%c");
        assertTrue(authorizer.maySubscribe("c1", BOB, "users/bob/inbox", null));
        assertFalse(authorizer.maySubscribe("c1", BOB, "users/alice/inbox", null));
        assertTrue(authorizer.mayPublish("c1", BOB, "logs/bob-c1"));
        assertFalse(authorizer.mayPublish("c2", BOB, "logs/bob-c1"));
    }

    @ParameterizedTest(name = "client id ''{0}''")
    @ValueSource(strings = {"+", "#", "a/b", "a/+", "/"})
    void aClientIdThatWouldWidenOrSplitALevelGetsNothingFromAPlaceholderRule(String clientId) {
        RuleAuthorizer authorizer = rules("allow all all devices/%c/#\nallow all publish own/%c");
        assertFalse(authorizer.mayPublish(clientId, BOB, "devices/x/temp"));
        assertFalse(authorizer.mayPublish(clientId, BOB, "devices/a/b/temp"));
        assertFalse(authorizer.mayPublish(clientId, BOB, "own/a/b"));
        assertFalse(authorizer.maySubscribe(clientId, BOB, "devices/#", null));
        assertFalse(authorizer.maySubscribe(clientId, BOB, "devices/+/#", null));
        assertFalse(authorizer.maySubscribe(clientId, BOB, "devices/" + clientId, null));
    }

    @Test
    void anEmptyOrMissingUserNameGetsNothingFromAUserPlaceholderRule() {
        RuleAuthorizer authorizer = rules("allow all all users/%u/#");
        assertFalse(authorizer.mayPublish("c1", EMPTY_NAME, "users//x"));
        assertFalse(authorizer.maySubscribe("c1", EMPTY_NAME, "users//#", null));
        assertFalse(authorizer.mayPublish("c1", ANONYMOUS, "users/null/x"));
        assertFalse(authorizer.mayPublish("c1", ClientIdentity.of("a/b", Set.of()), "users/a/b/x"));
        assertFalse(authorizer.maySubscribe("c1", ClientIdentity.of("#", Set.of()), "users/#", null));
    }

    @Test
    void aDenyRuleWithAnUnusableValueDoesNotApplyButOpensNothingAnotherClientIdWouldNotHave() {
        RuleAuthorizer authorizer = rules("allow all all devices/#\ndeny all publish devices/%c/config");
        assertFalse(authorizer.mayPublish("c1", BOB, "devices/c1/config"));
        assertTrue(authorizer.mayPublish("c1", BOB, "devices/c2/config"));
        // a client "+" has no topic of its own to be denied, and may publish where c1 may
        assertTrue(authorizer.mayPublish("+", BOB, "devices/c2/config"));
        assertTrue(authorizer.mayPublish("a/b", BOB, "devices/a/b/config"));
        assertTrue(authorizer.mayPublish("c1", BOB, "devices/a/b/config"));
    }

    @Test
    void theUserNameIsTextAndNeverBringsInTheClientId() {
        RuleAuthorizer authorizer = rules("allow all publish u/%u");
        ClientIdentity percent = ClientIdentity.of("%c", Set.of());
        assertTrue(authorizer.mayPublish("z", percent, "u/%c"));
        assertFalse(authorizer.mayPublish("z", percent, "u/z"));
    }

    @Test
    void mosquittoTopicLinesDoNotSubstitute() {
        RuleAuthorizer authorizer = rules("user bob\ntopic write a/%u\npattern write b/%u");
        assertTrue(authorizer.mayPublish("c1", BOB, "a/%u"));
        assertFalse(authorizer.mayPublish("c1", BOB, "a/bob"));
        assertTrue(authorizer.mayPublish("c1", BOB, "b/bob"));
    }

    // ---- $ topics and $SYS

    @ParameterizedTest(name = "publishing to {0}")
    @ValueSource(strings = {"$SYS/broker/uptime", "$SYS", "$share/g/a", "$other/x", "$"})
    void noClientEverPublishesToADollarTopicWhateverTheRules(String topic) {
        RuleAuthorizer authorizer = rules("allow all all #\nallow all publish $SYS/#\nallow all all " + topic);
        assertFalse(authorizer.mayPublish("c1", ROOT, topic));
        assertFalse(authorizer.mayPublish("c1", BOB, topic));
    }

    @Test
    void sysSubscriptionsNeedTheAdminRoleOrARuleThatNamesSys() {
        RuleAuthorizer authorizer = rules("allow user:monitor subscribe $SYS/broker/#\nallow all subscribe other/#");
        assertTrue(authorizer.maySubscribe("c1", ROOT, "$SYS/#", null), "the role is enough");
        assertTrue(authorizer.maySubscribe("c1", ROOT, "$SYS", null));
        assertFalse(authorizer.maySubscribe("c1", BOB, "$SYS/#", null));
        assertFalse(authorizer.maySubscribe("c1", ANONYMOUS, "$SYS", null));
        ClientIdentity monitor = ClientIdentity.of("monitor", Set.of());
        assertTrue(authorizer.maySubscribe("c1", monitor, "$SYS/broker/uptime", null), "a rule naming $SYS grants it");
        assertFalse(authorizer.maySubscribe("c1", monitor, "$SYS/#", null), "only what the rule covers");
        assertFalse(rules("allow all subscribe $SYS/#\ndeny all subscribe $SYS/broker/#").maySubscribe("c1", ROOT, "$SYS/#", null),
                "a deny rule refuses the admin role too");
    }

    @Test
    void sysSubscriptionsAsASharedGroupNeedTheRoleToo() {
        assertFalse(NO_RULES.maySubscribe("c1", BOB, "$SYS/#", "watchers"));
        assertTrue(NO_RULES.maySubscribe("c1", ROOT, "$SYS/#", "watchers"));
    }

    @Test
    void withoutAnAdminRoleOnlyRulesGrantSys() {
        assertFalse(new RuleAuthorizer(AccessRules.EMPTY, null, RESERVED).maySubscribe("c1", ROOT, "$SYS/#", null));
        assertTrue(new RuleAuthorizer(AccessRules.EMPTY, null, RESERVED).maySubscribe("c1", ROOT, "a/#", null));
        assertTrue(new RuleAuthorizer(AccessRules.parse("allow all subscribe $SYS/#", "test"), null, RESERVED)
                .maySubscribe("c1", ANONYMOUS, "$SYS/#", null));
    }

    @Test
    void aWildcardFilterIsNoSysSubscriptionSinceItMatchesNoDollarTopic_MQTT_4_7_2_1() {
        assertTrue(NO_RULES.maySubscribe("c1", BOB, "#", null));
        assertTrue(NO_RULES.maySubscribe("c1", BOB, "+/broker/uptime", null));
        assertTrue(rules("allow all subscribe #").maySubscribe("c1", BOB, "+/broker/uptime", null));
    }

    @Test
    void otherDollarTopicsAreSubscribedToAsTheRulesSay() {
        RuleAuthorizer authorizer = rules("allow all subscribe $events/#");
        assertTrue(authorizer.maySubscribe("c1", BOB, "$events/x", null));
        assertFalse(authorizer.maySubscribe("c1", BOB, "$SYSTEM/x", null));
        assertTrue(rules("allow all subscribe $SYSTEM/#").maySubscribe("c1", BOB, "$SYSTEM/x", null),
                "$SYSTEM is not $SYS");
    }

    @Test
    void anAllowHashDoesNotGrantDollarTopics_MQTT_4_7_2_1() {
        RuleAuthorizer authorizer = rules("allow all subscribe #\nallow all subscribe +/x");
        assertFalse(authorizer.maySubscribe("c1", BOB, "$events/x", null));
        assertFalse(authorizer.maySubscribe("c1", BOB, "$SYS/x", null));
    }

    @Test
    void aDenyHashDoesNotRefuseDollarTopics_MQTT_4_7_2_1() {
        RuleAuthorizer authorizer = rules("allow all subscribe $events/#\ndeny all subscribe #");
        assertTrue(authorizer.maySubscribe("c1", BOB, "$events/x", null));
        assertFalse(authorizer.maySubscribe("c1", BOB, "a", null));
    }

    // ---- shared subscriptions

    @Test
    void aReservedGroupIsGrantedOnlyByAShareRuleForIt() {
        RuleAuthorizer authorizer = rules("allow all subscribe #\nallow role:operators subscribe $share/orders/jobs/#");
        assertTrue(authorizer.maySubscribe("c1", ALICE, "jobs/new", "orders"));
        assertTrue(authorizer.maySubscribe("c1", ALICE, "jobs/#", "orders"));
        assertFalse(authorizer.maySubscribe("c1", ALICE, "other/#", "orders"), "the share rule does not cover it");
        assertFalse(authorizer.maySubscribe("c1", BOB, "jobs/new", "orders"), "an ordinary allow of # is not enough");
        assertFalse(authorizer.maySubscribe("c1", ALICE, "jobs/new", "audit"), "a rule for one group is not for another");
    }

    @Test
    void denyRulesStillApplyToReservedGroups() {
        RuleAuthorizer authorizer = rules("allow all subscribe $share/orders/#\ndeny all subscribe a/secret/#");
        assertTrue(authorizer.maySubscribe("c1", BOB, "b/#", "orders"));
        assertFalse(authorizer.maySubscribe("c1", BOB, "a/#", "orders"));
    }

    @Test
    void anUnreservedGroupIsAnOrdinarySubscriptionPlusItsShareRules() {
        RuleAuthorizer authorizer = rules("allow all subscribe a/#\nallow all subscribe $share/workers/jobs/#");
        assertTrue(authorizer.maySubscribe("c1", BOB, "a/x", "anything"));
        assertTrue(authorizer.maySubscribe("c1", BOB, "jobs/x", "workers"));
        assertFalse(authorizer.maySubscribe("c1", BOB, "jobs/x", "others"));
        assertFalse(authorizer.maySubscribe("c1", BOB, "jobs/x", null), "a share rule is not for ordinary subscriptions");
    }

    @Test
    void aShareDenyRuleRefusesOnlyThatGroup() {
        RuleAuthorizer authorizer = rules("allow all subscribe a/#\ndeny all subscribe $share/workers/a/secret/#");
        assertFalse(authorizer.maySubscribe("c1", BOB, "a/#", "workers"));
        assertTrue(authorizer.maySubscribe("c1", BOB, "a/#", "others"));
        assertTrue(authorizer.maySubscribe("c1", BOB, "a/#", null));
    }

    @Test
    void anOrdinaryDenyRuleRefusesSharedSubscriptionsToo() {
        RuleAuthorizer authorizer = rules("allow all subscribe a/#\ndeny user:bob subscribe a/b");
        assertFalse(authorizer.maySubscribe("c1", BOB, "a/+", "workers"));
        assertTrue(authorizer.maySubscribe("c1", ALICE, "a/+", "workers"));
    }

    // ---- a Mosquitto file, end to end

    @Test
    void aMosquittoAclFileGrantsWhatMosquittoUsersExpect() {
        RuleAuthorizer authorizer = rules("""
                topic read plant/status/#
                user alice
                topic readwrite plant/#
                topic deny plant/payroll/#
                user bob
                topic read plant/line1/#
                pattern readwrite clients/%c/#
                """);
        assertTrue(authorizer.maySubscribe("c1", ANONYMOUS, "plant/status/+", null));
        assertFalse(authorizer.mayPublish("c1", ANONYMOUS, "plant/status/x"));
        assertFalse(authorizer.maySubscribe("c1", BOB, "plant/status/+", null), "anonymous lines are for anonymous clients");
        assertTrue(authorizer.mayPublish("c1", ALICE, "plant/line1/x"));
        assertFalse(authorizer.mayPublish("c1", ALICE, "plant/payroll/march"));
        assertFalse(authorizer.maySubscribe("c1", ALICE, "plant/#", null), "plant/# reaches the payroll");
        assertTrue(authorizer.maySubscribe("c1", BOB, "plant/line1/#", null));
        assertFalse(authorizer.mayPublish("c1", BOB, "plant/line1/x"));
        assertTrue(authorizer.mayPublish("c7", ANONYMOUS, "clients/c7/state"));
        assertTrue(authorizer.maySubscribe("c7", BOB, "clients/c7/#", null));
        assertFalse(authorizer.mayPublish("c7", ALICE, "clients/c8/state"));
    }

    @Test
    void manyUsersSectionsAreFoundByName() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            text.append("user u").append(i).append("\ntopic readwrite home/u").append(i).append("/#\n");
        }
        RuleAuthorizer authorizer = rules(text.toString());
        ClientIdentity u4711 = ClientIdentity.of("u4711", Set.of());
        assertTrue(authorizer.mayPublish("c1", u4711, "home/u4711/light"));
        assertFalse(authorizer.mayPublish("c1", u4711, "home/u4712/light"));
    }

    @Test
    void checksAllocateNothingNotEvenForPlaceholders() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported(),
                "this JVM does not count allocated bytes per thread");
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) threads;
        RuleAuthorizer authorizer = rules("""
                allow role:operators all plant/#
                allow user:bob all users/%u/#
                allow client:c1 publish devices/%c/state
                allow all all logs/%u-%c
                deny all all plant/payroll/#
                allow all subscribe $share/workers/jobs/#
                """);
        Runnable checks = () -> {
            authorizer.mayPublish("c1", ALICE, "plant/line1/x");
            authorizer.mayPublish("c1", BOB, "users/bob/inbox");
            authorizer.mayPublish("c1", BOB, "devices/c1/state");
            authorizer.mayPublish("c1", BOB, "logs/bob-c1");
            authorizer.mayPublish("c1", ALICE, "plant/payroll/x");
            authorizer.maySubscribe("c1", ALICE, "plant/+/x", null);
            authorizer.maySubscribe("c1", BOB, "users/bob/#", null);
            authorizer.maySubscribe("c1", BOB, "jobs/#", "workers");
        };
        for (int i = 0; i < 1_000; i++) {
            checks.run();
        }
        long before = counter.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            checks.run();
        }
        long allocated = counter.getCurrentThreadAllocatedBytes() - before;
        // one object per check would be 80,000 checks x 16 bytes at least; allow for the measuring itself
        assertTrue(allocated < 10_000, allocated + " bytes allocated by 80,000 checks");
    }

    // ---- description and construction

    @Test
    void theDescriptionCountsAndNamesTheBuiltInRulesButNoTopic() {
        assertEquals("no topic rules: every client may publish and subscribe to any topic, but not publish to $ topics"
                + " nor join reserved shared groups; $SYS subscriptions need the role mqtt-admin or a rule", NO_RULES.describe());
        String described = rules("allow user:bob all secret/#\ndeny all all secret/x\nallow all subscribe b").describe();
        assertEquals("3 topic rules (2 allow, 1 deny), whatever none allows is denied; nobody publishes to $ topics;"
                + " $SYS subscriptions need the role mqtt-admin or a rule", described);
        assertEquals("no topic rules: every client may publish and subscribe to any topic, but not publish to $ topics"
                + " nor join reserved shared groups; $SYS subscriptions need a rule",
                new RuleAuthorizer(AccessRules.EMPTY, null, RESERVED).describe());
    }

    @Test
    void theReservedShareNamesMustBeGiven() {
        assertThrows(NullPointerException.class, () -> new RuleAuthorizer(AccessRules.EMPTY, ADMIN_ROLE, null));
    }
}
