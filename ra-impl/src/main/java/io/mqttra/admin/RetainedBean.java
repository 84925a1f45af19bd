package io.mqttra.admin;

import io.mqttra.api.MqttTopics;
import io.mqttra.api.management.RetainedMXBean;
import io.mqttra.api.management.RetainedMessageInfo;
import io.mqttra.broker.PublishedMessage;
import io.mqttra.broker.RetainedMessages;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Date;
import java.util.List;

/** {@link RetainedMXBean}: the broker's {@link RetainedMessages}. */
final class RetainedBean implements RetainedMXBean {

    private static final int PREVIEW_CHARACTERS = 100;

    private final RetainedMessages retained;

    RetainedBean(RetainedMessages retained) {
        this.retained = retained;
    }

    @Override
    public int getCount() {
        return retained.size();
    }

    @Override
    public long getBytes() {
        return retained.bytes();
    }

    @Override
    public long getRefused() {
        return retained.refused();
    }

    @Override
    public RetainedMessageInfo[] find(String filter, int limit) {
        Page page = new Page(0, limit);
        List<PublishedMessage> found = matching(filter);
        OperationLog.queried("looked up the retained messages matching '" + filter + "' (" + found.size() + " found)");
        return page.of(found.stream().sorted(Comparator.comparing(PublishedMessage::topic)).toList()).stream()
                .map(RetainedBean::info).toArray(RetainedMessageInfo[]::new);
    }

    @Override
    public int count(String filter) {
        return matching(filter).size();
    }

    @Override
    public boolean delete(String topic) {
        String problem = topic == null ? "is required" : MqttTopics.topicNameProblem(topic);
        if (problem != null) {
            throw new IllegalArgumentException("topic " + problem);
        }
        boolean deleted = retained.remove(topic);
        OperationLog.changed(deleted ? "deleted the retained message of '" + topic + "'"
                : "asked to delete the retained message of '" + topic + "', which has none");
        return deleted;
    }

    @Override
    public int deleteMatching(String filter) {
        checkFilter(filter);
        int deleted = retained.removeMatching(filter, System.currentTimeMillis());
        OperationLog.changed("deleted " + deleted + " retained message(s) matching '" + filter + "'");
        return deleted;
    }

    private List<PublishedMessage> matching(String filter) {
        checkFilter(filter);
        return retained.matching(filter, System.currentTimeMillis());
    }

    private static void checkFilter(String filter) {
        String problem = filter == null ? "is required" : MqttTopics.topicFilterProblem(filter);
        if (problem != null) {
            throw new IllegalArgumentException("filter " + problem);
        }
    }

    private static RetainedMessageInfo info(PublishedMessage m) {
        return new RetainedMessageInfo(m.topic(), m.qos(), m.payload().length, preview(m.payload()), m.publisherClientId(),
                m.publisherUserName(), new Date(m.timestamp()));
    }

    /** The start of the payload when it is UTF-8 text, else null. */
    static String preview(byte[] payload) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
            return text.length() <= PREVIEW_CHARACTERS ? text : text.substring(0, PREVIEW_CHARACTERS) + "…";
        } catch (CharacterCodingException binary) {
            return null;
        }
    }
}
