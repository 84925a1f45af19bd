package io.mqttra.api.management;

import java.util.Date;

/**
 * One topic's figures, as {@link TopicsMXBean#list} shows them.
 *
 * @param topic the topic name
 * @param messages messages this node routed on it since it was first tracked (or since {@link TopicsMXBean#reset})
 * @param lastPayloadBytes the latest message's payload size
 * @param lastPayloadPreview the latest payload's first 64 bytes: as text when they are UTF-8 without control
 *     characters (but tab, CR, LF), else as hexadecimal digits, two a byte; with {@code …} when the payload is longer
 * @param lastPayloadFormat {@code text} or {@code hex}: how {@code lastPayloadPreview} is written
 * @param lastQos the QoS the latest message was published with
 * @param lastRetained whether the latest message was published retained
 * @param lastPublishedAt when the broker received the latest message
 */
public record TopicInfo(String topic, long messages, int lastPayloadBytes, String lastPayloadPreview,
                        String lastPayloadFormat, int lastQos, boolean lastRetained, Date lastPublishedAt) {
}
