package io.mqttra.console;

import io.mqttra.api.MqttTopics;
import io.mqttra.api.management.TopicLevelInfo;
import io.mqttra.api.management.TopicsMXBean;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The topic tree as one page has it open: the levels at the top and below each level the page expanded, read
 * from the Topics MXBean's {@code children}. Pages that have the same levels open share each level's read within
 * a tick ({@code levels} is the tick's), so that the MXBean is asked once per open level, however many pages
 * are open.
 */
final class OpenTopicTree {

    /** Levels one page may have open: each costs a pass over the tracked topics every second. */
    static final int MAX_OPEN = 50;
    /** Levels shown below one level; the page says when there are more. */
    static final int ROWS = 200;

    private OpenTopicTree() {
    }

    /**
     * The levels a page asked for ({@code open} request parameters), those that can be topic levels only and at
     * most {@link #MAX_OPEN}; the top is always open.
     */
    static Set<String> parse(String[] open) {
        Set<String> paths = new LinkedHashSet<>();
        paths.add("");
        if (open != null) {
            for (String p : open) {
                if (paths.size() > MAX_OPEN) {
                    break;
                }
                if (p != null && MqttTopics.topicNameProblem(p) == null) {
                    paths.add(p);
                }
            }
        }
        return paths;
    }

    /**
     * {@code {"tracked", "maxTracked", "others", "levels": {path: [level, ...]}}}.
     *
     * @param levels the levels read so far in this tick, by path: filled as needed
     */
    static JsonObjectBuilder read(TopicsMXBean topics, Set<String> open, Map<String, JsonArray> levels) {
        JsonObjectBuilder byPath = Json.createObjectBuilder();
        for (String path : open) {
            byPath.add(path, levels.computeIfAbsent(path, p -> children(topics, p)));
        }
        return Json.createObjectBuilder().add("tracked", topics.getCount()).add("maxTracked", topics.getMaxTrackedTopics())
                .add("others", topics.getOtherMessages()).add("levels", byPath);
    }

    private static JsonArray children(TopicsMXBean topics, String path) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (TopicLevelInfo l : List.of(topics.children(path, 0, ROWS))) {
            JsonObjectBuilder o = Json.createObjectBuilder().add("path", l.path()).add("name", l.level())
                    .add("messages", l.messages()).add("topics", l.topics()).add("children", l.childLevels())
                    .add("at", l.lastActivity() == null ? 0 : l.lastActivity().getTime());
            if (l.topic()) {
                o.add("own", l.ownMessages()).add("bytes", l.lastPayloadBytes())
                        .add("preview", l.lastPayloadPreview()).add("format", l.lastPayloadFormat());
            }
            a.add(o);
        }
        return a.build();
    }
}
