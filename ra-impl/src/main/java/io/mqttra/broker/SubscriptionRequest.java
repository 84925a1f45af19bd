package io.mqttra.broker;

import io.mqttra.api.MqttTopics;

/** Parses one SUBSCRIBE entry, including the {@code $share/{group}/{filter}} form (MQTT 5.0 section 4.8.2). */
final class SubscriptionRequest {

    private SubscriptionRequest() {
    }

    /** Thrown for a filter that gets SUBACK 0x8F (Topic Filter invalid) / 0x80. */
    static final class InvalidFilter extends Exception {
        InvalidFilter(String message) {
            super(message, null, false, false);
        }
    }

    /** The filter and share group of {@code raw}, for the caller to add the entry's options to. */
    static Subscription.Builder parse(String raw) throws InvalidFilter {
        String group = null;
        String filter = raw;
        if (raw.startsWith(Subscription.SHARE_PREFIX)) {
            int slash = raw.indexOf('/', Subscription.SHARE_PREFIX.length());
            if (slash < 0) {
                throw new InvalidFilter("a shared subscription needs $share/{group}/{filter}");
            }
            group = raw.substring(Subscription.SHARE_PREFIX.length(), slash);
            filter = raw.substring(slash + 1);
            if (group.isEmpty() || group.indexOf('+') >= 0 || group.indexOf('#') >= 0) {
                throw new InvalidFilter("invalid share name '" + group + "' [MQTT-4.8.2-2]");
            }
        }
        String problem = MqttTopics.topicFilterProblem(filter);
        if (problem != null) {
            throw new InvalidFilter(problem);
        }
        return Subscription.to(filter).sharedBy(group);
    }
}
