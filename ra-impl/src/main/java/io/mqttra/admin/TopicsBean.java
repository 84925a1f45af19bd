package io.mqttra.admin;

import io.mqttra.api.MqttTopics;
import io.mqttra.api.management.TopicInfo;
import io.mqttra.api.management.TopicLevelInfo;
import io.mqttra.api.management.TopicsMXBean;
import io.mqttra.broker.TopicStatistics;
import io.mqttra.broker.TopicStatistics.Latest;
import io.mqttra.broker.TopicStatistics.TopicFigures;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;

/** {@link TopicsMXBean}: the broker's {@link TopicStatistics}. */
final class TopicsBean implements TopicsMXBean {

    private final TopicStatistics statistics;

    TopicsBean(TopicStatistics statistics) {
        this.statistics = statistics;
    }

    @Override
    public int getCount() {
        return statistics.size();
    }

    @Override
    public int getMaxTrackedTopics() {
        return statistics.maxTopics();
    }

    @Override
    public long getOtherMessages() {
        return statistics.otherMessages();
    }

    @Override
    public TopicInfo[] list(String filter, int offset, int limit) {
        Page page = new Page(offset, limit);
        List<TopicFigures> found = matching(filter);
        found.sort(Comparator.comparing(TopicFigures::topic));
        OperationLog.queried("listed the topics matching '" + filter + "' (" + found.size() + " found)");
        return page.of(found).stream().map(TopicsBean::info).toArray(TopicInfo[]::new);
    }

    @Override
    public int count(String filter) {
        return matching(filter).size();
    }

    @Override
    public TopicLevelInfo[] children(String path, int offset, int limit) {
        Page page = new Page(offset, limit);
        if (path == null || !path.isEmpty() && MqttTopics.topicNameProblem(path) != null) {
            throw new IllegalArgumentException("path must be \"\" (the top) or topic levels joined by / without wildcards, not "
                    + (path == null ? "null" : "'" + path + "'"));
        }
        List<TopicLevels.Level> levels = TopicLevels.below(statistics, path);
        OperationLog.queried("read the topic levels below '" + path + "' (" + levels.size() + ")");
        return page.of(levels).stream().map(TopicsBean::info).toArray(TopicLevelInfo[]::new);
    }

    @Override
    public int reset() {
        int forgotten = statistics.clear();
        OperationLog.changed("reset the topic statistics (" + forgotten + " topic(s) forgotten)");
        return forgotten;
    }

    private List<TopicFigures> matching(String filter) {
        String problem = filter == null ? "is required" : MqttTopics.topicFilterProblem(filter);
        if (problem != null) {
            throw new IllegalArgumentException("filter " + problem);
        }
        List<TopicFigures> found = new ArrayList<>();
        boolean exact = !MqttTopics.isWildcard(filter);
        if (exact) {
            TopicFigures one = statistics.get(filter);
            if (one != null) {
                found.add(one);
            }
            return found;
        }
        statistics.forEach((topic, figures) -> {
            if (MqttTopics.matches(filter, topic)) {
                found.add(figures);
            }
        });
        return found;
    }

    private static TopicInfo info(TopicFigures f) {
        Latest l = f.latest();
        PayloadPreview p = PayloadPreview.of(l.head(), l.size());
        return new TopicInfo(f.topic(), f.messages(), l.size(), p.text(), p.format(), l.qos(), l.retain(), new Date(l.at()));
    }

    private static TopicLevelInfo info(TopicLevels.Level level) {
        TopicFigures own = level.own;
        PayloadPreview p = own == null ? null : PayloadPreview.of(own.latest().head(), own.latest().size());
        return new TopicLevelInfo(level.path, level.name, level.messages, level.topics, level.childLevelCount(),
                new Date(level.lastActivity), own != null, own == null ? 0 : own.messages(),
                own == null ? 0 : own.latest().size(), p == null ? null : p.text(), p == null ? null : p.format());
    }
}
