package io.mqttra.api.management;

import java.util.Date;

/**
 * One retained message.
 *
 * @param topic its topic
 * @param qos the QoS it was published with
 * @param payloadBytes the payload's size
 * @param payloadPreview the payload's first 100 characters when it is UTF-8 text, else null
 * @param publisherClientId who published it, or null when the server did
 * @param publisherUserName the publisher's user name, or null
 * @param receivedAt when the broker received it
 */
public record RetainedMessageInfo(String topic, int qos, int payloadBytes, String payloadPreview, String publisherClientId,
                                  String publisherUserName, Date receivedAt) {
}
