package io.mqttra.security;

import io.mqttra.broker.ClientIdentity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of one kind (say: allow rules for publishing), grouped by whom they apply to, so that a
 * file with a section for each of thousands of users costs a request two map look-ups, not a scan
 * of every user's rules. Immutable.
 */
final class RulesByWho {

    private static final AccessRule[] NONE = {};

    /** Rules for all, anonymous clients and roles: checked one by one. */
    private final AccessRule[] general;
    private final Map<String, AccessRule[]> byUser;
    private final Map<String, AccessRule[]> byClient;

    RulesByWho(List<AccessRule> rules) {
        List<AccessRule> generalRules = new ArrayList<>();
        Map<String, List<AccessRule>> users = new HashMap<>();
        Map<String, List<AccessRule>> clients = new HashMap<>();
        for (AccessRule rule : rules) {
            switch (rule.who().kind()) {
                case USER -> users.computeIfAbsent(rule.who().name(), n -> new ArrayList<>()).add(rule);
                case CLIENT -> clients.computeIfAbsent(rule.who().name(), n -> new ArrayList<>()).add(rule);
                default -> generalRules.add(rule);
            }
        }
        this.general = generalRules.toArray(NONE);
        this.byUser = asArrays(users);
        this.byClient = asArrays(clients);
    }

    /**
     * Whether a rule that applies to the client passes {@code check} against {@code topicOrFilter}.
     *
     * @param user the user name when it may replace {@code %u}, otherwise null: rules with {@code %u} are then skipped
     * @param client the client id when it may replace {@code %c}, otherwise null
     * @param shareName the subscription's share name, or null: only rules for that shared group count besides ordinary rules
     * @param ordinaryRulesCount whether rules without a {@code $share/} prefix count
     */
    boolean any(TopicPattern.Check check, String topicOrFilter, String clientId, ClientIdentity identity,
            String user, String client, String shareName, boolean ordinaryRulesCount) {
        for (AccessRule rule : general) {
            if (rule.who().appliesTo(clientId, identity)
                    && passes(rule, check, topicOrFilter, user, client, shareName, ordinaryRulesCount)) {
                return true;
            }
        }
        return identity.name() != null
                && passesAny(byUser.get(identity.name()), check, topicOrFilter, user, client, shareName, ordinaryRulesCount)
                || passesAny(byClient.get(clientId), check, topicOrFilter, user, client, shareName, ordinaryRulesCount);
    }

    private static boolean passesAny(AccessRule[] rules, TopicPattern.Check check, String topicOrFilter,
            String user, String client, String shareName, boolean ordinaryRulesCount) {
        if (rules != null) {
            for (AccessRule rule : rules) {
                if (passes(rule, check, topicOrFilter, user, client, shareName, ordinaryRulesCount)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean passes(AccessRule rule, TopicPattern.Check check, String topicOrFilter,
            String user, String client, String shareName, boolean ordinaryRulesCount) {
        if (rule.shareName() == null ? !ordinaryRulesCount : !rule.shareName().equals(shareName)) {
            return false;
        }
        TopicPattern pattern = rule.pattern();
        if (pattern.usesUser() && user == null || pattern.usesClient() && client == null) {
            return false; // an unusable value never widens a pattern: the rule does not apply
        }
        return pattern.test(check, topicOrFilter, user, client);
    }

    private static Map<String, AccessRule[]> asArrays(Map<String, List<AccessRule>> lists) {
        Map<String, AccessRule[]> arrays = new HashMap<>();
        lists.forEach((name, rules) -> arrays.put(name, rules.toArray(NONE)));
        return Map.copyOf(arrays);
    }
}
