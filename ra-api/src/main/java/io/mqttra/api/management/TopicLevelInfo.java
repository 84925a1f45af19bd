package io.mqttra.api.management;

import java.util.Date;

/**
 * One level of the topic tree, as {@link TopicsMXBean#children} shows it: the figures of every tracked topic
 * at and below it added up, and the latest message of the topic that the level itself names, if any.
 *
 * @param path the topic levels up to this one, joined by {@code /}: what {@link TopicsMXBean#children} takes to
 *     list the levels below
 * @param level this level's name (may be empty: {@code a//b} has an empty second level)
 * @param messages messages on the tracked topics at and below this level
 * @param topics tracked topics at and below this level
 * @param childLevels distinct levels right below this one
 * @param lastActivity when the newest message at or below this level was received
 * @param topic whether {@code path} is itself a tracked topic; the fields below are its latest message's
 *     (see {@link TopicInfo}), 0, false or null when it is not
 * @param ownMessages messages on the topic {@code path} itself
 * @param lastPayloadBytes the size of its latest payload
 * @param lastPayloadPreview the start of its latest payload, as in {@link TopicInfo}
 * @param lastPayloadFormat {@code text} or {@code hex}
 */
public record TopicLevelInfo(String path, String level, long messages, int topics, int childLevels, Date lastActivity,
                             boolean topic, long ownMessages, int lastPayloadBytes, String lastPayloadPreview,
                             String lastPayloadFormat) {
}
