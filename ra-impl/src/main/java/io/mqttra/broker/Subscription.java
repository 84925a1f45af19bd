package io.mqttra.broker;

/**
 * One subscription and its options (MQTT 5.0 section 3.8.3.1; MQTT 3.x clients get the defaults).
 *
 * @param filter the topic filter, without any {@code $share/group/} prefix
 * @param shareGroup the shared-subscription group, or {@code null} for an ordinary subscription
 * @param qos the maximum QoS granted
 * @param noLocal do not deliver the subscriber's own publications
 * @param retainAsPublished forward the publisher's RETAIN flag instead of clearing it
 * @param retainHandling 0: send retained messages on subscribe; 1: only if the subscription is new; 2: never
 * @param subscriptionId the MQTT 5 subscription identifier, or 0 for none
 */
public record Subscription(String filter, String shareGroup, int qos, boolean noLocal, boolean retainAsPublished,
                           int retainHandling, int subscriptionId) {

    public static final String SHARE_PREFIX = "$share/";

    public boolean isShared() {
        return shareGroup != null;
    }

    /** The filter as the client wrote it, which is also the key for UNSUBSCRIBE. */
    public String key() {
        return isShared() ? SHARE_PREFIX + shareGroup + "/" + filter : filter;
    }
}
