package io.mqttra.security;

import io.mqttra.broker.Authorizer;
import io.mqttra.broker.ClientIdentity;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Topic permissions from rules ({@link AccessRules}).
 *
 * <h2>Rules</h2>
 * Two syntaxes; a source is read in either, and both give the same kind of rules. In both, blank
 * lines and lines starting with {@code #} are ignored, and a wrong line stops the reading with an
 * {@link AccessRuleException} naming the source (file path or property name), the line number and
 * what is wrong.
 * <ul>
 * <li>This adapter's, one rule per line: {@code allow|deny <who> <actions> <topic-pattern>}, fields
 * separated by white space.
 * <ul>
 * <li><i>who</i>: {@code user:<name>} (the authenticated user name), {@code role:<name>} (one of the
 * user's roles), {@code client:<client id>}, {@code anonymous} (clients without a user name) or
 * {@code all}.</li>
 * <li><i>actions</i>: {@code publish}, {@code subscribe} or {@code all}, or a comma-separated list of
 * them without spaces ({@code publish,subscribe}).</li>
 * <li><i>topic-pattern</i>: a topic filter ({@code +} and {@code #} as in MQTT), where {@code %u}
 * stands for the user name and {@code %c} for the client id, as a whole level or within one:
 * {@code devices/%c/#}, {@code users/%u/inbox}, {@code logs/%u-%c}. A pattern may start with
 * {@code $share/<share name>/}: the rule then concerns only subscriptions to that shared group
 * (the share name is literal). Patterns of {@code $} topics such as {@code $SYS/#} are allowed.</li>
 * </ul>
 * In an adapter property, {@code ;} separates rules as a line break does.</li>
 * <li>Mosquitto's {@code acl_file}: {@code user <name>} starts the section of that user;
 * {@code topic [read|write|readwrite|deny] <topic>} applies to the section's user, or to anonymous
 * clients before any {@code user} line; {@code pattern [read|write|readwrite|deny] <topic>} applies to
 * every client wherever it stands. {@code read} means subscribe, {@code write} publish,
 * {@code readwrite} (also when the access word is left out) both, and {@code deny} denies both. The
 * topic is the rest of the line. {@code %u} and {@code %c} are placeholders in {@code pattern} lines
 * only, as in Mosquitto; in {@code topic} lines they are text.</li>
 * </ul>
 * A source whose first line that is neither blank nor a comment starts with {@code user},
 * {@code topic} or {@code pattern} is read as Mosquitto's; any other as this adapter's. The syntax
 * can also be given ({@link AccessRules.Syntax}).
 *
 * <h2>What the rules mean</h2>
 * <ol>
 * <li>A rule applies to a client when its <i>who</i> does: the user name equals the rule's (an
 * anonymous client has none: only {@code anonymous} and {@code all} apply to it), the rule's role is
 * one of the client's roles, or the client id equals the rule's.</li>
 * <li>Deny overrides allow: a request is allowed when at least one applying allow rule grants it and
 * no applying deny rule refuses it. The order of the rules does not matter.</li>
 * <li>Publishing to topic T: an allow rule grants it when its pattern matches T; a deny rule
 * refuses it when its pattern matches T.</li>
 * <li>Subscribing to filter F: an allow rule grants it when its pattern <b>covers</b> F, that is
 * matches every topic F can match ({@code a/#} covers {@code a/+/b}, {@code a/#} and {@code a};
 * {@code a/+} covers {@code a/b} but not {@code a/#}; a {@code +} in F is covered only by {@code +} or
 * {@code #}). A deny rule refuses it when its pattern <b>overlaps</b> F, that is some topic could match
 * both (deny {@code a/secret/#} overlaps {@code a/#} and {@code a/+/x}, not {@code b/#}). Strict on
 * purpose: a subscriber never receives a message of a topic it is denied, and no message needs a check
 * of its own. As in [MQTT-4.7.2-1], a pattern or filter whose first level is a wildcard does not cover
 * or overlap one whose first level starts with {@code $}.</li>
 * <li>Shared subscriptions: subscribing to F in the shared group S is, when S is one of the
 * {@code reservedShareNames} (those of the server's message-driven beans), granted only by an allow
 * rule with the pattern {@code $share/S/<p>}, p covering F: an ordinary allow rule does not. When S is
 * not reserved, both ordinary allow rules and {@code $share/S/} ones grant it. Deny rules, ordinary
 * and {@code $share/S/} ones, refuse it in both cases. A {@code $share/} rule never concerns publishing,
 * and one that only allows or denies publishing is refused when read.</li>
 * <li>Placeholders: {@code %u} and {@code %c} are replaced by the user name and the client id only when
 * that value is present, not empty, and contains none of {@code +}, {@code #} and {@code /}. Otherwise a
 * rule whose pattern uses that placeholder does not apply to the client at all, so that no value ever
 * widens a pattern (a client id {@code #} does not turn {@code devices/%c} into {@code devices/#}). For
 * a deny rule this opens nothing either: such a rule refuses a client its own topics, and a client whose
 * value cannot stand in a single level has no such topics.</li>
 * <li>Built in, whatever the rules say: a filter whose first level is {@code $SYS} is granted to the
 * clients with the role {@code sysRole}, and otherwise only by a rule whose pattern names {@code $SYS}
 * (a wildcard never covers it), so that a user without roles (a password file's) can be given it;
 * deny rules refuse it as any other filter. Publishing to a topic that starts with {@code $} is never
 * allowed, so rules granting it have no effect. Other {@code $} topics can be subscribed to as the rules
 * say.</li>
 * <li>Without any rule, every client may publish and subscribe to anything but what the built-in rules
 * and the reserved shared groups forbid, like Mosquitto without {@code acl_file}. As soon as there is
 * one rule, whatever no rule allows is denied. An empty file or one with only comments has no rule.</li>
 * </ol>
 *
 * <p>Immutable and thread-safe. A check allocates nothing: patterns are split into levels when the
 * rules are read, placeholders are compared in place, and rules for users and client ids are found by
 * a map look-up.
 */
public final class RuleAuthorizer implements Authorizer {

    private final AccessRules rules;
    private final String sysRole;
    private final Predicate<String> reservedShareNames;
    private final boolean unrestricted;
    private final boolean hasPlaceholders;
    private final RulesByWho publishAllowed;
    private final RulesByWho publishDenied;
    private final RulesByWho subscribeAllowed;
    private final RulesByWho subscribeDenied;

    /**
     * @param sysRole the role a client needs to subscribe to {@code $SYS} topics, or null for none
     * @param reservedShareNames the share names of shared subscriptions that only {@code $share/<name>/}
     *     rules may grant (those of the server's message-driven beans)
     */
    public RuleAuthorizer(AccessRules rules, String sysRole, Predicate<String> reservedShareNames) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.sysRole = sysRole;
        this.reservedShareNames = Objects.requireNonNull(reservedShareNames, "reservedShareNames");
        List<AccessRule> all = rules.rules();
        this.unrestricted = all.isEmpty();
        this.hasPlaceholders = all.stream().anyMatch(r -> r.pattern().hasPlaceholders());
        this.publishAllowed = new RulesByWho(all.stream().filter(r -> r.allow() && r.publish()).toList());
        this.publishDenied = new RulesByWho(all.stream().filter(r -> !r.allow() && r.publish()).toList());
        this.subscribeAllowed = new RulesByWho(all.stream().filter(r -> r.allow() && r.subscribe()).toList());
        this.subscribeDenied = new RulesByWho(all.stream().filter(r -> !r.allow() && r.subscribe()).toList());
    }

    @Override
    public boolean mayPublish(String clientId, ClientIdentity who, String topic) {
        if (topic.startsWith("$")) {
            return false; // the server's own topics: $SYS and what comes
        }
        if (unrestricted) {
            return true;
        }
        String user = placeholderValue(who.name());
        String client = placeholderValue(clientId);
        return publishAllowed.any(TopicPattern.Check.MATCH, topic, clientId, who, user, client, null, true)
                && !publishDenied.any(TopicPattern.Check.MATCH, topic, clientId, who, user, client, null, true);
    }

    @Override
    public boolean maySubscribe(String clientId, ClientIdentity who, String filter, String shareName) {
        boolean sys = isSys(filter);
        boolean admin = sys && sysRole != null && who.hasRole(sysRole);
        boolean reserved = shareName != null && reservedShareNames.test(shareName);
        if (unrestricted) {
            return sys ? admin && !reserved : !reserved;
        }
        String user = placeholderValue(who.name());
        String client = placeholderValue(clientId);
        return (admin && !reserved
                || subscribeAllowed.any(TopicPattern.Check.COVER, filter, clientId, who, user, client, shareName, !reserved))
                && !subscribeDenied.any(TopicPattern.Check.OVERLAP, filter, clientId, who, user, client, shareName, true);
    }

    /** For the startup log: counts and the built-in rules, not the rules themselves. */
    public String describe() {
        String sys = sysRole == null ? "$SYS subscriptions need a rule" : "$SYS subscriptions need the role " + sysRole + " or a rule";
        if (unrestricted) {
            return "no topic rules: every client may publish and subscribe to any topic, but not publish to $ topics"
                    + " nor join reserved shared groups; " + sys;
        }
        return rules + ", whatever none allows is denied; nobody publishes to $ topics; " + sys;
    }

    @Override
    public String toString() {
        return "RuleAuthorizer[" + describe() + "]";
    }

    private String placeholderValue(String value) {
        return hasPlaceholders && TopicPattern.usable(value) ? value : null;
    }

    private static boolean isSys(String filter) {
        return filter.startsWith("$SYS") && (filter.length() == 4 || filter.charAt(4) == '/');
    }
}
