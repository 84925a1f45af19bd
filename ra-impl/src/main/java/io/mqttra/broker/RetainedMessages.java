package io.mqttra.broker;

import io.mqttra.api.MqttTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The last retained message of each topic (MQTT 3.1.1 section 3.3.1.3), in memory. */
public final class RetainedMessages {

    private final ConcurrentHashMap<String, PublishedMessage> byTopic = new ConcurrentHashMap<>();

    /**
     * Stores {@code message} as its topic's retained message; a zero-length payload deletes the
     * topic's retained message instead [MQTT-3.3.1-10].
     */
    public void store(PublishedMessage message) {
        if (message.payload().length == 0) {
            byTopic.remove(message.topic());
        } else {
            byTopic.put(message.topic(), message);
        }
    }

    /**
     * The retained messages whose topics match {@code filter}; expired ones are removed instead
     * (MQTT 5.0 section 3.3.2.3.3).
     */
    public List<PublishedMessage> matching(String filter, long now) {
        List<PublishedMessage> result = new ArrayList<>();
        if (!MqttTopics.isWildcard(filter)) {
            PublishedMessage m = byTopic.get(filter);
            if (m != null) {
                result.add(m);
            }
        } else {
            for (PublishedMessage m : byTopic.values()) {
                if (MqttTopics.matches(filter, m.topic())) {
                    result.add(m);
                }
            }
        }
        result.removeIf(m -> {
            if (m.isExpired(now)) {
                byTopic.remove(m.topic(), m);
                return true;
            }
            return false;
        });
        return result;
    }

    public int size() {
        return byTopic.size();
    }
}
