package io.mqttra.api;

/**
 * MQTT topic-name and topic-filter rules (MQTT 3.1.1 section 4.7, MQTT 5.0 section 4.7), for
 * applications that build topics or filters at run time and for the adapter itself.
 */
public final class MqttTopics {

    /** Largest topic the protocol can carry: a UTF-8 string has a two-byte length prefix. */
    public static final int MAX_TOPIC_BYTES = 65_535;

    private MqttTopics() {
    }

    /**
     * Why {@code topic} is not a valid topic name for PUBLISH, or {@code null} when it is valid.
     * A topic name is at least one character long and has no wildcards and no NUL
     * [MQTT-4.7.3-1], [MQTT-3.3.2-2], [MQTT-4.7.3-2].
     */
    public static String topicNameProblem(String topic) {
        if (topic == null || topic.isEmpty()) {
            return "a topic name must not be empty";
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#') {
                return "a topic name must not contain the wildcard '" + c + "'";
            }
            if (c == '\u0000') {
                return "a topic name must not contain U+0000";
            }
        }
        return null;
    }

    /**
     * Why {@code filter} is not a valid topic filter for SUBSCRIBE, or {@code null} when it is.
     * {@code #} must be the whole last level, {@code +} a whole level [MQTT-4.7.1-2],
     * [MQTT-4.7.1-3], and a filter is never empty [MQTT-4.7.3-1].
     */
    public static String topicFilterProblem(String filter) {
        if (filter == null || filter.isEmpty()) {
            return "a topic filter must not be empty";
        }
        int levelStart = 0;
        for (int i = 0; i < filter.length(); i++) {
            char c = filter.charAt(i);
            if (c == '\u0000') {
                return "a topic filter must not contain U+0000";
            }
            if (c == '/') {
                levelStart = i + 1;
                continue;
            }
            boolean wholeLevel = i == levelStart && (i + 1 == filter.length() || filter.charAt(i + 1) == '/');
            if (c == '+' && !wholeLevel) {
                return "'+' must occupy a whole topic level";
            }
            if (c == '#' && !(wholeLevel && i + 1 == filter.length())) {
                return "'#' must be the last character and occupy a whole topic level";
            }
        }
        return null;
    }

    /** True when {@code filter} contains a wildcard ({@code +} or {@code #}). */
    public static boolean isWildcard(String filter) {
        return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
    }

    /**
     * True when the concrete {@code topic} matches {@code filter}, including the rules that
     * {@code a/#} matches {@code a} [MQTT-4.7.1-2] and that filters starting with a wildcard do not
     * match topics starting with {@code $} [MQTT-4.7.2-1].
     */
    public static boolean matches(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        int i = 0;
        for (; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return i == t.length;
    }
}
