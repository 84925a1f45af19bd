package io.mqttra.admin;

import io.mqttra.broker.TopicStatistics;
import io.mqttra.broker.TopicStatistics.TopicFigures;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The levels right below one level of the topic tree, each with the figures of the tracked topics at and below it
 * added up. Made from the statistics when asked, one pass over the tracked topics, so that the publish path keeps
 * a flat map and never a tree.
 */
final class TopicLevels {

    /** One level below the parent, as it is being added up. */
    static final class Level {
        final String path;
        final String name;
        long messages;
        int topics;
        long lastActivity;
        final Set<String> childLevels = new HashSet<>();
        /** The figures of the topic {@link #path} itself, or null. */
        TopicFigures own;

        Level(String path, String name) {
            this.path = path;
            this.name = name;
        }

        int childLevelCount() {
            return childLevels.size();
        }
    }

    private TopicLevels() {
    }

    /**
     * The levels below {@code parent}, ordered by name.
     *
     * @param parent {@code ""} for the top of the tree, else topic levels joined by {@code /}
     */
    static List<Level> below(TopicStatistics statistics, String parent) {
        String prefix = parent.isEmpty() ? "" : parent + "/";
        Map<String, Level> levels = new TreeMap<>();
        statistics.forEach((topic, figures) -> {
            if (!topic.startsWith(prefix)) {
                return;
            }
            int end = topic.indexOf('/', prefix.length());
            String name = topic.substring(prefix.length(), end < 0 ? topic.length() : end);
            Level level = levels.computeIfAbsent(name, n -> new Level(prefix + n, n));
            level.messages += figures.messages();
            level.topics++;
            level.lastActivity = Math.max(level.lastActivity, figures.latest().at());
            if (end < 0) {
                level.own = figures;
            } else {
                int next = topic.indexOf('/', end + 1);
                level.childLevels.add(topic.substring(end + 1, next < 0 ? topic.length() : next));
            }
        });
        return List.copyOf(levels.values());
    }
}
