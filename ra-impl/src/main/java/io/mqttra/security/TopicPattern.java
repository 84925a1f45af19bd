package io.mqttra.security;

/**
 * The topic filter of an access rule, split into levels once, when the rules are read, and compared
 * with topics and filters in place: no splitting, no regular expression and no substituted copy on
 * the path of a PUBLISH.
 *
 * <p>A level may contain {@code %u} (the user name) and {@code %c} (the client id), whole or as part
 * of the level. Their values are given to each comparison and must be usable: non-empty, without
 * {@code +}, {@code #} or {@code /} ({@link #usable}). The caller skips a pattern whose value is not,
 * so a placeholder only ever stands for exactly one literal level part.
 *
 * <p>Topics and filters starting with {@code $} follow [MQTT-4.7.2-1]: a pattern whose first level is
 * a wildcard never reaches them, and a filter whose first level is a wildcard never reaches a pattern
 * whose first level starts with {@code $}.
 */
final class TopicPattern {

    /** What a pattern is compared with, and how. */
    enum Check {
        /** The pattern matches a topic name. */
        MATCH,
        /** Every topic the filter can match is matched by the pattern. */
        COVER,
        /** Some topic could match both the pattern and the filter. */
        OVERLAP
    }

    private static final byte TEXT = 0;
    private static final byte ONE_LEVEL = 1;
    private static final byte MULTI_LEVEL = 2;

    private final String text;
    private final String[] levels;
    private final byte[] kinds;
    /** Per level: whether it contains a placeholder, so that plain levels compare with regionMatches. */
    private final boolean[] templated;
    private final boolean usesUser;
    private final boolean usesClient;

    private TopicPattern(String text, String[] levels, boolean placeholders) {
        this.text = text;
        this.levels = levels;
        this.kinds = new byte[levels.length];
        this.templated = new boolean[levels.length];
        boolean user = false;
        boolean client = false;
        for (int i = 0; i < levels.length; i++) {
            kinds[i] = levels[i].equals("+") ? ONE_LEVEL : levels[i].equals("#") ? MULTI_LEVEL : TEXT;
            boolean u = placeholders && levels[i].contains("%u");
            boolean c = placeholders && levels[i].contains("%c");
            templated[i] = u || c;
            user |= u;
            client |= c;
        }
        this.usesUser = user;
        this.usesClient = client;
    }

    /**
     * A pattern from a topic filter that {@code MqttTopics.topicFilterProblem} accepted.
     *
     * @param placeholders whether {@code %u} and {@code %c} are placeholders; when not, they are text
     */
    static TopicPattern of(String filter, boolean placeholders) {
        return new TopicPattern(filter, filter.split("/", -1), placeholders);
    }

    /** Whether {@code value} may replace a placeholder: it then stands for literal text within one level. */
    static boolean usable(String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '+' || c == '#' || c == '/') {
                return false;
            }
        }
        return true;
    }

    boolean usesUser() {
        return usesUser;
    }

    boolean usesClient() {
        return usesClient;
    }

    boolean hasPlaceholders() {
        return usesUser || usesClient;
    }

    /**
     * The {@link Check} of this pattern against {@code topicOrFilter}, with {@code user} and
     * {@code client} for the placeholders the pattern uses (either may be null when it does not use it).
     */
    boolean test(Check check, String topicOrFilter, String user, String client) {
        return switch (check) {
            case MATCH -> matches(topicOrFilter, user, client);
            case COVER -> covers(topicOrFilter, user, client);
            case OVERLAP -> overlaps(topicOrFilter, user, client);
        };
    }

    boolean matches(String topic, String user, String client) {
        // a topic name is a filter that matches itself alone: the pattern matches it when it covers it
        return covers(topic, user, client);
    }

    boolean covers(String filter, String user, String client) {
        if (filter.startsWith("$") && kinds[0] != TEXT) {
            return false; // [MQTT-4.7.2-1]
        }
        int start = 0;
        for (int i = 0; i < levels.length; i++) {
            if (kinds[i] == MULTI_LEVEL) {
                return true; // also the parent level: a/# matches a [MQTT-4.7.1-2]
            }
            if (start > filter.length()) {
                return false; // the filter matches its last level alone, this pattern needs more
            }
            int end = levelEnd(filter, start);
            if (isWildcard(filter, start, end, '#')) {
                return false;
            }
            if (isWildcard(filter, start, end, '+')) {
                if (kinds[i] != ONE_LEVEL) {
                    return false;
                }
            } else if (kinds[i] == TEXT && !levelEquals(i, filter, start, end, user, client)) {
                return false;
            }
            start = end + 1;
        }
        return start > filter.length();
    }

    boolean overlaps(String filter, String user, String client) {
        boolean filterStartsWithWildcard = isWildcard(filter, 0, levelEnd(filter, 0), '+')
                || isWildcard(filter, 0, levelEnd(filter, 0), '#');
        if (filter.startsWith("$") && kinds[0] != TEXT || filterStartsWithWildcard && startsWithDollar(user, client)) {
            return false; // [MQTT-4.7.2-1]
        }
        int start = 0;
        for (int i = 0; i < levels.length; i++) {
            if (kinds[i] == MULTI_LEVEL) {
                return true;
            }
            if (start > filter.length()) {
                return false;
            }
            int end = levelEnd(filter, start);
            if (isWildcard(filter, start, end, '#')) {
                return true;
            }
            if (kinds[i] == TEXT && !isWildcard(filter, start, end, '+')
                    && !levelEquals(i, filter, start, end, user, client)) {
                return false;
            }
            start = end + 1;
        }
        // this pattern's topics end here: the filter reaches them when it ends too, or ends in '#'
        return start > filter.length() || isWildcard(filter, start, filter.length(), '#');
    }

    private boolean startsWithDollar(String user, String client) {
        String first = levels[0];
        if (kinds[0] != TEXT || first.isEmpty()) {
            return false;
        }
        if (templated[0] && first.startsWith("%u")) {
            return user.charAt(0) == '$';
        }
        if (templated[0] && first.startsWith("%c")) {
            return client.charAt(0) == '$';
        }
        return first.charAt(0) == '$';
    }

    private static int levelEnd(String s, int start) {
        int slash = s.indexOf('/', start);
        return slash < 0 ? s.length() : slash;
    }

    private static boolean isWildcard(String s, int start, int end, char wildcard) {
        return end - start == 1 && s.charAt(start) == wildcard;
    }

    /** Whether level {@code i}, placeholders replaced, equals {@code s} from {@code start} to {@code end}. */
    private boolean levelEquals(int i, String s, int start, int end, String user, String client) {
        String level = levels[i];
        if (!templated[i]) {
            return level.length() == end - start && s.regionMatches(start, level, 0, level.length());
        }
        int at = start;
        for (int k = 0; k < level.length(); k++) {
            char c = level.charAt(k);
            String value = c != '%' || k + 1 == level.length() ? null
                    : level.charAt(k + 1) == 'u' ? user : level.charAt(k + 1) == 'c' ? client : null;
            if (value != null) {
                if (at + value.length() > end || !s.startsWith(value, at)) {
                    return false;
                }
                at += value.length();
                k++;
            } else {
                if (at >= end || s.charAt(at) != c) {
                    return false;
                }
                at++;
            }
        }
        return at == end;
    }

    /** The pattern as written, without any {@code $share/} prefix. */
    @Override
    public String toString() {
        return text;
    }
}
