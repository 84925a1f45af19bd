package io.mqttra.security;

import io.mqttra.api.MqttTopics;
import io.mqttra.broker.ClientIdentity;

/**
 * One topic permission: whether it allows or denies, whom it applies to, to which actions and on
 * which topics.
 *
 * @param allow true for an allow rule, false for a deny rule
 * @param shareName the share name of a {@code $share/<name>/} pattern, or null: such a rule concerns
 *     only subscriptions to that shared group
 */
record AccessRule(boolean allow, Who who, boolean publish, boolean subscribe, String shareName, TopicPattern pattern) {

    private static final String SHARE_PREFIX = "$share/";

    /**
     * A rule for {@code pattern} as written in a rules file, {@code $share/<name>/} prefix included.
     *
     * @param placeholders whether {@code %u} and {@code %c} in the pattern are placeholders
     * @throws IllegalArgumentException saying what is wrong with the pattern
     */
    static AccessRule of(boolean allow, Who who, boolean publish, boolean subscribe, String pattern, boolean placeholders) {
        String shareName = null;
        String filter = pattern;
        if (pattern.startsWith(SHARE_PREFIX)) {
            int slash = pattern.indexOf('/', SHARE_PREFIX.length());
            if (slash <= SHARE_PREFIX.length()) {
                throw new IllegalArgumentException("invalid topic pattern '" + pattern
                        + "': a shared-subscription pattern is $share/<share name>/<topic filter>");
            }
            shareName = pattern.substring(SHARE_PREFIX.length(), slash);
            filter = pattern.substring(slash + 1);
            if (shareName.indexOf('+') >= 0 || shareName.indexOf('#') >= 0) {
                throw new IllegalArgumentException("invalid topic pattern '" + pattern
                        + "': a share name must not contain '+' or '#' [MQTT-4.8.2-2]");
            }
            if (placeholders && (shareName.contains("%u") || shareName.contains("%c"))) {
                throw new IllegalArgumentException("invalid topic pattern '" + pattern
                        + "': a share name is literal, it cannot contain %u or %c");
            }
            if (!subscribe) {
                throw new IllegalArgumentException("a $share/ pattern is about subscribing: publish alone means nothing with '"
                        + pattern + "'");
            }
        }
        String problem = MqttTopics.topicFilterProblem(filter);
        if (problem != null) {
            throw new IllegalArgumentException("invalid topic pattern '" + pattern + "': " + problem);
        }
        // one cannot publish to $share/...: the rule is a subscription rule whatever its actions say
        return new AccessRule(allow, who, publish && shareName == null, subscribe, shareName, TopicPattern.of(filter, placeholders));
    }

    /** Whom a rule applies to. */
    record Who(Kind kind, String name) {

        enum Kind { USER, ROLE, CLIENT, ANONYMOUS, ALL }

        static final Who ANONYMOUS = new Who(Kind.ANONYMOUS, null);
        static final Who ALL = new Who(Kind.ALL, null);

        static Who user(String name) {
            return new Who(Kind.USER, name);
        }

        /**
         * {@code user:<name>}, {@code role:<name>}, {@code client:<client id>}, {@code anonymous} or {@code all}.
         *
         * @throws IllegalArgumentException saying what is wrong
         */
        static Who parse(String text) {
            if (text.equals("anonymous")) {
                return ANONYMOUS;
            }
            if (text.equals("all")) {
                return ALL;
            }
            int colon = text.indexOf(':');
            Kind kind = colon < 0 ? null : switch (text.substring(0, colon)) {
                case "user" -> Kind.USER;
                case "role" -> Kind.ROLE;
                case "client" -> Kind.CLIENT;
                default -> null;
            };
            if (kind == null) {
                throw new IllegalArgumentException("unknown who '" + text
                        + "': expected user:<name>, role:<name>, client:<client id>, anonymous or all");
            }
            if (colon + 1 == text.length()) {
                throw new IllegalArgumentException("'" + text + "' needs a name after the colon");
            }
            return new Who(kind, text.substring(colon + 1));
        }

        boolean appliesTo(String clientId, ClientIdentity identity) {
            return switch (kind) {
                case USER -> name.equals(identity.name());
                case ROLE -> identity.hasRole(name);
                case CLIENT -> name.equals(clientId);
                case ANONYMOUS -> identity.isAnonymous();
                case ALL -> true;
            };
        }
    }
}
