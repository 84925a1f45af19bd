package io.mqttra.security;

import java.util.List;

/**
 * Mosquitto's {@code acl_file} syntax, for users who have one. {@code user <name>} starts a user's
 * section; {@code topic [read|write|readwrite|deny] <topic>} applies to the section's user (before any
 * {@code user} line: to anonymous clients), with {@code %u} and {@code %c} as plain text as in
 * Mosquitto; {@code pattern [read|write|readwrite|deny] <topic>} applies to every client, with the
 * placeholders. The topic is the rest of the line; without an access word it is {@code readwrite}.
 * Stateful: one instance per source.
 */
final class MosquittoAclParser implements LineParser {

    private AccessRule.Who sectionUser = AccessRule.Who.ANONYMOUS;

    @Override
    public void parse(String line, List<AccessRule> rules) {
        String[] keywordAndRest = line.split("\\s+", 2);
        String keyword = keywordAndRest[0];
        String rest = keywordAndRest.length > 1 ? keywordAndRest[1] : "";
        switch (keyword) {
            case "user" -> {
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException("'user' needs a user name");
                }
                sectionUser = AccessRule.Who.user(rest);
            }
            case "topic" -> add(rules, sectionUser, rest, false, keyword);
            case "pattern" -> add(rules, AccessRule.Who.ALL, rest, true, keyword);
            default -> throw new IllegalArgumentException("unknown keyword '" + keyword
                    + "': expected user, topic or pattern (Mosquitto acl_file syntax)");
        }
    }

    private static void add(List<AccessRule> rules, AccessRule.Who who, String accessAndTopic, boolean placeholders, String keyword) {
        if (accessAndTopic.isEmpty()) {
            throw new IllegalArgumentException("'" + keyword + "' needs a topic");
        }
        String[] parts = accessAndTopic.split("\\s+", 2);
        if (parts.length == 1) {
            // as in Mosquitto: a single word is the topic, with readwrite access
            rules.add(AccessRule.of(true, who, true, true, parts[0], placeholders));
            return;
        }
        String topic = parts[1];
        switch (parts[0]) {
            case "read" -> rules.add(AccessRule.of(true, who, false, true, topic, placeholders));
            case "write" -> rules.add(AccessRule.of(true, who, true, false, topic, placeholders));
            case "readwrite" -> rules.add(AccessRule.of(true, who, true, true, topic, placeholders));
            case "deny" -> rules.add(AccessRule.of(false, who, true, true, topic, placeholders));
            default -> throw new IllegalArgumentException("unknown access '" + parts[0]
                    + "': expected read, write, readwrite or deny");
        }
    }
}
