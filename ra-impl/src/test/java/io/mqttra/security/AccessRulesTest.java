package io.mqttra.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading topic rules in both syntaxes, and the errors a wrong line gives. */
class AccessRulesTest {

    /** A rule in one line: effect, who, actions, share name, pattern. */
    private static String show(AccessRule rule) {
        String who = rule.who().name() == null ? rule.who().kind().name().toLowerCase()
                : rule.who().kind().name().toLowerCase() + ":" + rule.who().name();
        String actions = rule.publish() && rule.subscribe() ? "all" : rule.publish() ? "publish" : "subscribe";
        String share = rule.shareName() == null ? "" : "$share/" + rule.shareName() + "/";
        return (rule.allow() ? "allow " : "deny ") + who + " " + actions + " " + share + rule.pattern()
                + (rule.pattern().hasPlaceholders() ? " (placeholders)" : "");
    }

    private static List<String> shown(AccessRules rules) {
        return rules.rules().stream().map(AccessRulesTest::show).toList();
    }

    private static AccessRuleException problem(String text) {
        return assertThrows(AccessRuleException.class, () -> AccessRules.parse(text, "acl.conf"));
    }

    @Test
    void ourSyntaxOneRulePerLineWithCommentsAndBlankLines() {
        AccessRules rules = AccessRules.parse("""
                # devices publish their own readings
                allow  client:sensor-1  publish   devices/sensor-1/#

                allow role:operators subscribe,publish devices/+/commands
                \tdeny all all devices/+/secret/#
                allow user:bob subscribe users/%u/inbox
                allow anonymous subscribe public/#
                allow all publish,subscribe $share/workers/jobs/#
                allow role:mqtt-admin subscribe $SYS/#
                """, "acl.conf");
        assertEquals(List.of(
                "allow client:sensor-1 publish devices/sensor-1/#",
                "allow role:operators all devices/+/commands",
                "deny all all devices/+/secret/#",
                "allow user:bob subscribe users/%u/inbox (placeholders)",
                "allow anonymous subscribe public/#",
                "allow all subscribe $share/workers/jobs/#",  // one does not publish to a shared group
                "allow role:mqtt-admin subscribe $SYS/#"), shown(rules));
        assertEquals(7, rules.size());
    }

    @Test
    void actionsCombine() {
        assertEquals(List.of("allow all all a", "allow all all b", "allow all publish c"),
                shown(AccessRules.parse("allow all subscribe,publish a\nallow all all,publish b\nallow all publish,publish c", "x")));
    }

    @Test
    void aRealisticMosquittoAclFile() {
        AccessRules rules = AccessRules.parse("""
                # Mosquitto ACL for the plant

                # clients without a user name may read the public status
                topic read plant/status/#
                topic read $SYS/broker/uptime

                user alice
                topic readwrite plant/#
                topic deny plant/payroll/#

                user bob
                topic plant/line1/#
                topic write plant/line1/commands
                topic read $share/dashboards/plant/+/status

                # every client: its own inbox and its last will
                pattern read inbox/%u/#
                pattern write clients/%c/state
                pattern deny clients/%c/secret
                """, "/etc/mosquitto/acl");
        assertEquals(List.of(
                "allow anonymous subscribe plant/status/#",
                "allow anonymous subscribe $SYS/broker/uptime",
                "allow user:alice all plant/#",
                "deny user:alice all plant/payroll/#",
                "allow user:bob all plant/line1/#",
                "allow user:bob publish plant/line1/commands",
                "allow user:bob subscribe $share/dashboards/plant/+/status",
                "allow all subscribe inbox/%u/# (placeholders)",
                "allow all publish clients/%c/state (placeholders)",
                "deny all all clients/%c/secret (placeholders)"), shown(rules));
    }

    @Test
    void mosquittoUserNamesAndTopicsAreTheRestOfTheLine() {
        assertEquals(List.of("allow user:John Smith subscribe my topic/#"),
                shown(AccessRules.parse("user John Smith\ntopic read my topic/#", "x")));
    }

    @Test
    void aMosquittoTopicWithoutAccessWordIsReadwriteEvenIfItLooksLikeOne() {
        assertEquals(List.of("allow anonymous all read"), shown(AccessRules.parse("topic read", "x")));
    }

    @Test
    void mosquittoTopicLinesTakePercentSignsAsTextAndPatternLinesAsPlaceholders() {
        assertEquals(List.of("allow anonymous all a/%u", "allow all all a/%u (placeholders)"),
                shown(AccessRules.parse("topic a/%u\npattern a/%u", "x")));
    }

    @Test
    void mosquittoPatternsApplyToAllClientsEvenInsideAUserSection() {
        assertEquals(List.of("allow user:bob all a", "allow all subscribe b", "allow user:bob all c"),
                shown(AccessRules.parse("user bob\ntopic a\npattern read b\ntopic c", "x")));
    }

    @Test
    void theSyntaxIsThatOfTheFirstSignificantLine() {
        assertEquals(List.of("allow user:bob all a"), shown(AccessRules.parse("# comment\n\n  user bob\ntopic a", "x")));
        assertEquals(List.of("allow anonymous subscribe a"), shown(AccessRules.parse("\n# c\ntopic read a", "x")));
        assertEquals(List.of("allow all subscribe a/%c (placeholders)"), shown(AccessRules.parse("pattern read a/%c", "x")));
        assertEquals(List.of("allow all all a"), shown(AccessRules.parse("# user bob\nallow all all a", "x")));
    }

    @Test
    void theSyntaxCanBeForced() {
        AccessRuleException e = assertThrows(AccessRuleException.class,
                () -> AccessRules.parse("user bob\ntopic a", "x", AccessRules.Syntax.RULES));
        assertEquals("x, line 1: expected 4 fields 'allow|deny <who> <actions> <topic-pattern>', found 2", e.getMessage());
        e = assertThrows(AccessRuleException.class,
                () -> AccessRules.parse("allow all all a", "x", AccessRules.Syntax.MOSQUITTO));
        assertEquals("x, line 1: unknown keyword 'allow': expected user, topic or pattern (Mosquitto acl_file syntax)",
                e.getMessage());
        assertEquals(1, AccessRules.parse("topic a", "x", AccessRules.Syntax.MOSQUITTO).size());
    }

    @Test
    void inlineRulesFromAPropertyMaySeparateLinesWithSemicolons() {
        AccessRules rules = AccessRules.parseInline("allow all subscribe a/#; deny all all a/b\nallow user:bob publish c", "topicRules");
        assertEquals(List.of("allow all subscribe a/#", "deny all all a/b", "allow user:bob publish c"), shown(rules));
        assertEquals(List.of("allow user:bob all a"), shown(AccessRules.parseInline("user bob;topic a", "topicRules")));
    }

    @Test
    void anErrorInInlineRulesNamesThePropertyAndCountsSemicolonPartsAsLines() {
        AccessRuleException e = assertThrows(AccessRuleException.class,
                () -> AccessRules.parseInline("allow all all a;;allow all read b", "topicRules"));
        assertEquals("topicRules, line 3: unknown action 'read': expected publish, subscribe or all, separated by commas",
                e.getMessage());
        assertEquals("topicRules", e.source());
        assertEquals(3, e.line());
    }

    @Test
    void nothingButCommentsAndBlankLinesIsNoRules() {
        assertSame(AccessRules.EMPTY, AccessRules.parse("# nothing yet\n\n   \n", "x"));
        assertSame(AccessRules.EMPTY, AccessRules.parse("", "x"));
        assertSame(AccessRules.EMPTY, AccessRules.parseInline(null, "topicRules"));
        assertSame(AccessRules.EMPTY, AccessRules.parseInline(" ; ", "topicRules"));
    }

    @Test
    void sourcesCombine() {
        AccessRules combined = AccessRules.parse("allow all all a", "x").plus(AccessRules.parse("user bob\ntopic deny b", "y"));
        assertEquals(List.of("allow all all a", "deny user:bob all b"), shown(combined));
        assertTrue(AccessRules.EMPTY.plus(AccessRules.EMPTY).isEmpty());
    }

    @Test
    void toStringCountsButDoesNotShowTheRules() {
        AccessRules rules = AccessRules.parse("allow user:bob all secret/a\nallow all all b\ndeny all all secret/#", "x");
        assertEquals("3 topic rules (2 allow, 1 deny)", rules.toString());
    }

    @ParameterizedTest(name = "line 4 ''{0}'': {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            allow all all                   => expected 4 fields 'allow|deny <who> <actions> <topic-pattern>', found 3
            allow all all a/b # comment     => expected 4 fields 'allow|deny <who> <actions> <topic-pattern>', found 6; a comment must be on a line of its own
            permit all all a                => unknown effect 'permit': expected allow or deny
            allow usr:bob all a             => unknown who 'usr:bob': expected user:<name>, role:<name>, client:<client id>, anonymous or all
            allow everyone all a            => unknown who 'everyone': expected user:<name>, role:<name>, client:<client id>, anonymous or all
            allow user: all a               => 'user:' needs a name after the colon
            allow role: all a               => 'role:' needs a name after the colon
            allow all read a                => unknown action 'read': expected publish, subscribe or all, separated by commas
            allow all publish, a            => empty action in 'publish,'
            allow all all a/#/b             => invalid topic pattern 'a/#/b': '#' must be the last character and occupy a whole topic level
            allow all all a#                => invalid topic pattern 'a#': '#' must be the last character and occupy a whole topic level
            allow all all a/b+              => invalid topic pattern 'a/b+': '+' must occupy a whole topic level
            allow all all $share/g          => invalid topic pattern '$share/g': a shared-subscription pattern is $share/<share name>/<topic filter>
            allow all all $share//a         => invalid topic pattern '$share//a': a shared-subscription pattern is $share/<share name>/<topic filter>
            allow all all $share/g/         => invalid topic pattern '$share/g/': a topic filter must not be empty
            allow all all $share/g+/a       => invalid topic pattern '$share/g+/a': a share name must not contain '+' or '#' [MQTT-4.8.2-2]
            allow all all $share/%c/a       => invalid topic pattern '$share/%c/a': a share name is literal, it cannot contain %u or %c
            allow all publish $share/g/a    => a $share/ pattern is about subscribing: publish alone means nothing with '$share/g/a'
            """)
    void aWrongLineInOurSyntaxNamesTheSourceTheLineAndTheProblem(String line, String problem) {
        AccessRuleException e = problem("# rules\nallow all all ok/#\n\n" + line + "\nallow all all fine");
        assertEquals("acl.conf, line 4: " + problem, e.getMessage());
        assertEquals("acl.conf", e.source());
        assertEquals(4, e.line());
    }

    @ParameterizedTest(name = "line 4 ''{0}'': {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            user                       => 'user' needs a user name
            topic                      => 'topic' needs a topic
            pattern                    => 'pattern' needs a topic
            topic rw a/b               => unknown access 'rw': expected read, write, readwrite or deny
            topics read a/b            => unknown keyword 'topics': expected user, topic or pattern (Mosquitto acl_file syntax)
            allow all all a            => unknown keyword 'allow': expected user, topic or pattern (Mosquitto acl_file syntax)
            topic read a/#/b           => invalid topic pattern 'a/#/b': '#' must be the last character and occupy a whole topic level
            pattern read clients/%c+   => invalid topic pattern 'clients/%c+': '+' must occupy a whole topic level
            topic write $share/g/a     => a $share/ pattern is about subscribing: publish alone means nothing with '$share/g/a'
            """)
    void aWrongLineInMosquittoSyntaxNamesTheSourceTheLineAndTheProblem(String line, String problem) {
        AccessRuleException e = problem("# acl\nuser bob\n\n" + line + "\ntopic fine");
        assertEquals("acl.conf, line 4: " + problem, e.getMessage());
        assertEquals(4, e.line());
    }

    @Test
    void lineNumbersCountEveryKindOfLineBreak() {
        AccessRuleException e = problem("allow all all a\r\n# c\r\n\r\nallow all bad b\r\n");
        assertEquals(4, e.line());
        assertEquals(3, problem("allow all all a\rallow all all b\rallow all bad c").line());
    }

    @Test
    void aFileIsReadAsUtf8AndErrorsNameItsPath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("acl");
        Files.writeString(file, "\uFEFFuser jürgen\ntopic read grüße/#\n", StandardCharsets.UTF_8);
        assertEquals(List.of("allow user:jürgen subscribe grüße/#"), shown(AccessRules.read(file)));

        Files.writeString(file, "allow all all a\nallow nobody all b\n");
        AccessRuleException e = assertThrows(AccessRuleException.class, () -> AccessRules.read(file));
        assertEquals(file + ", line 2: unknown who 'nobody': expected user:<name>, role:<name>, client:<client id>, anonymous or all",
                e.getMessage());
        assertEquals(file.toString(), e.source());
    }

    @Test
    void aMissingFileIsAnErrorNamingItsPath(@TempDir Path dir) {
        Path missing = dir.resolve("nope.acl");
        AccessRuleException e = assertThrows(AccessRuleException.class, () -> AccessRules.read(missing));
        assertEquals(missing + ": no such topic rules file", e.getMessage());
        assertEquals(0, e.line());
    }

    @Test
    void aDirectoryIsAnErrorNamingItsPath(@TempDir Path dir) {
        AccessRuleException e = assertThrows(AccessRuleException.class, () -> AccessRules.read(dir));
        assertTrue(e.getMessage().startsWith(dir + ": cannot read the topic rules file: "), e.getMessage());
    }

    @Test
    void aFileThatIsNotUtf8IsAnErrorNamingItsPath(@TempDir Path dir) throws Exception {
        Path latin1 = dir.resolve("latin1.acl");
        Files.write(latin1, "user j\u00fcrgen\ntopic a\n".getBytes(StandardCharsets.ISO_8859_1));
        AccessRuleException e = assertThrows(AccessRuleException.class, () -> AccessRules.read(latin1));
        assertEquals(latin1 + ": the topic rules file is not UTF-8 text", e.getMessage());
    }
}
