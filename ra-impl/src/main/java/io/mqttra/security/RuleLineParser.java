package io.mqttra.security;

import java.util.List;

/**
 * This adapter's rule syntax, one rule per line: {@code allow|deny <who> <actions> <topic-pattern>}.
 * Stateless: a line means the same wherever it stands.
 */
final class RuleLineParser implements LineParser {

    @Override
    public void parse(String line, List<AccessRule> rules) {
        String[] fields = line.split("\\s+");
        if (fields.length != 4) {
            throw new IllegalArgumentException("expected 4 fields 'allow|deny <who> <actions> <topic-pattern>', found "
                    + fields.length + (fields.length > 4 ? "; a comment must be on a line of its own" : ""));
        }
        boolean allow = switch (fields[0]) {
            case "allow" -> true;
            case "deny" -> false;
            default -> throw new IllegalArgumentException("unknown effect '" + fields[0] + "': expected allow or deny");
        };
        AccessRule.Who who = AccessRule.Who.parse(fields[1]);
        boolean publish = false;
        boolean subscribe = false;
        for (String action : fields[2].split(",", -1)) {
            switch (action) {
                case "publish" -> publish = true;
                case "subscribe" -> subscribe = true;
                case "all" -> {
                    publish = true;
                    subscribe = true;
                }
                case "" -> throw new IllegalArgumentException("empty action in '" + fields[2] + "'");
                default -> throw new IllegalArgumentException("unknown action '" + action
                        + "': expected publish, subscribe or all, separated by commas");
            }
        }
        rules.add(AccessRule.of(allow, who, publish, subscribe, fields[3], true));
    }
}
