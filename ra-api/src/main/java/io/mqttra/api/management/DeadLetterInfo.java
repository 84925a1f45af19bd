package io.mqttra.api.management;

import java.util.Date;

/**
 * One kept dead letter.
 *
 * @param messageId what names it in {@link DeadLettersMXBean#replay} and {@link DeadLettersMXBean#delete}
 * @param deadLetterTopic the topic it was published to
 * @param originalTopic the topic it was first published to, or null when it does not say
 * @param consumer the bean that failed to process it
 * @param failureReason the root cause of the last failure
 * @param deliveryCount how often delivery was tried
 * @param qos its QoS
 * @param payloadBytes the payload's size
 * @param publisherClientId who first published it, or null when the server did
 * @param publisherUserName the publisher's user name, or null
 * @param deadLetteredAt when it went to the dead-letter topic
 */
public record DeadLetterInfo(String messageId, String deadLetterTopic, String originalTopic, String consumer,
                             String failureReason, int deliveryCount, int qos, int payloadBytes, String publisherClientId,
                             String publisherUserName, Date deadLetteredAt) {
}
