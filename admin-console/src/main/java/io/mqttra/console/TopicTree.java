package io.mqttra.console;

import io.mqttra.api.management.RetainedMessageInfo;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.util.Map;
import java.util.TreeMap;

/**
 * The topic tree as the retained messages show it. The broker counts traffic per broker, listener and bean, not
 * per topic, so the count of a node is the retained messages at and below it, and its preview is the node's own
 * retained message: what the Retained MXBean knows, nothing invented.
 */
final class TopicTree {

    private final String name;
    private final Map<String, TopicTree> children = new TreeMap<>();
    private RetainedMessageInfo retained;
    private int retainedBelow;

    private TopicTree(String name) {
        this.name = name;
    }

    static TopicTree of(RetainedMessageInfo[] messages) {
        TopicTree root = new TopicTree("");
        for (RetainedMessageInfo m : messages) {
            root.add(m);
        }
        return root;
    }

    private void add(RetainedMessageInfo m) {
        TopicTree node = this;
        node.retainedBelow++;
        for (String level : m.topic().split("/", -1)) {
            node = node.children.computeIfAbsent(level, TopicTree::new);
            node.retainedBelow++;
        }
        node.retained = m;
    }

    JsonObjectBuilder toJson() {
        JsonObjectBuilder o = Json.createObjectBuilder().add("name", name).add("retained", retainedBelow);
        if (retained != null) {
            o.add("topic", retained.topic()).add("qos", retained.qos()).add("bytes", retained.payloadBytes())
                    .add("preview", retained.payloadPreview() == null ? "(binary)" : retained.payloadPreview())
                    .add("at", retained.receivedAt() == null ? 0 : retained.receivedAt().getTime());
        }
        JsonArrayBuilder kids = Json.createArrayBuilder();
        children.values().forEach(c -> kids.add(c.toJson()));
        return o.add("children", kids);
    }
}
