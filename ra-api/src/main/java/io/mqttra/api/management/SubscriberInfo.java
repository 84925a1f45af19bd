package io.mqttra.api.management;

/**
 * One subscription as {@link SubscriptionsMXBean#find} shows it: who holds it and with which options
 * (MQTT 5.0 section 3.8.3.1).
 *
 * @param subscriber an MQTT client's identifier, or for a subscription held inside the server what the
 *     broker calls it: {@code MDB <bean class>} for a bean's activation, {@code durable subscription <name>}
 *     for a durable one
 * @param mqttClient true for an MQTT client's subscription, false for a message-driven bean's
 * @param filter the topic filter, without a {@code $share/} prefix
 * @param shareName the shared-subscription group, or null
 * @param qos the maximum QoS granted
 * @param noLocal whether the subscriber's own messages are not sent back to it
 * @param retainAsPublished whether the publisher's RETAIN flag is forwarded
 * @param retainHandling 0, 1 or 2 (MQTT 5.0 section 3.8.3.1)
 * @param subscriptionId the MQTT 5 subscription identifier, or 0
 */
public record SubscriberInfo(String subscriber, boolean mqttClient, String filter, String shareName, int qos,
                             boolean noLocal, boolean retainAsPublished, int retainHandling, int subscriptionId) {
}
