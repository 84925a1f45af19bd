package io.mqttra.broker;

/** The configured limits on topic names and filters: {@code maxTopicLength} in UTF-8 bytes and {@code maxTopicLevels}. */
final class TopicLimits {

    private TopicLimits() {
    }

    /** What is beyond the limits in {@code topicOrFilter}, or null when it is within them. */
    static String problem(String topicOrFilter, BrokerConfig config) {
        if (PacketSizes.utf8Length(topicOrFilter) > config.maxTopicLength()) {
            return "longer than maxTopicLength (" + config.maxTopicLength() + " bytes)";
        }
        int levels = 1;
        for (int i = 0; i < topicOrFilter.length(); i++) {
            if (topicOrFilter.charAt(i) == '/') {
                levels++;
            }
        }
        return levels > config.maxTopicLevels() ? "more than maxTopicLevels (" + config.maxTopicLevels() + ") levels" : null;
    }
}
