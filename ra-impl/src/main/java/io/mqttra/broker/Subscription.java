package io.mqttra.broker;

/**
 * One subscription and its options (MQTT 5.0 section 3.8.3.1; MQTT 3.x clients get the defaults).
 * Built with {@link #to(String)}, so that each option is named where it is set.
 *
 * @param filter the topic filter, without any {@code $share/group/} prefix
 * @param shareGroup the shared-subscription group, or {@code null} for an ordinary subscription
 * @param qos the maximum QoS granted
 * @param noLocal do not deliver the subscriber's own publications
 * @param retainAsPublished forward the publisher's RETAIN flag instead of clearing it
 * @param retainHandling {@link #SEND_RETAINED}, {@link #SEND_RETAINED_IF_NEW} or {@link #NO_RETAINED}
 * @param subscriptionId the MQTT 5 subscription identifier, or 0 for none
 */
public record Subscription(String filter, String shareGroup, int qos, boolean noLocal, boolean retainAsPublished,
                           int retainHandling, int subscriptionId) {

    public static final String SHARE_PREFIX = "$share/";
    /** Retain Handling 0: retained messages are sent on every subscribe. */
    public static final int SEND_RETAINED = 0;
    /** Retain Handling 1: retained messages are sent only when the subscription is new. */
    public static final int SEND_RETAINED_IF_NEW = 1;
    /** Retain Handling 2: retained messages are never sent on subscribe. */
    public static final int NO_RETAINED = 2;

    /** A subscription to {@code filter} with MQTT 3.x's defaults (QoS 0, retained messages sent), to refine. */
    public static Builder to(String filter) {
        return new Builder(filter);
    }

    public boolean isShared() {
        return shareGroup != null;
    }

    /** The filter as the client wrote it, which is also the key for UNSUBSCRIBE. */
    public String key() {
        return isShared() ? SHARE_PREFIX + shareGroup + "/" + filter : filter;
    }

    /** Names each option of a {@link Subscription}; the defaults are MQTT 3.x's. */
    public static final class Builder {
        private final String filter;
        private String shareGroup;
        private int qos;
        private boolean noLocal;
        private boolean retainAsPublished;
        private int retainHandling = SEND_RETAINED;
        private int subscriptionId;

        private Builder(String filter) {
            this.filter = filter;
        }

        /** Makes it a shared subscription of {@code group}; {@code null} leaves it ordinary. */
        public Builder sharedBy(String group) {
            this.shareGroup = group;
            return this;
        }

        /** 0, 1 or 2; anything else is a bug of the caller (the codec refuses QoS 3 in SUBSCRIBE). */
        public Builder qos(int qos) {
            if (qos < 0 || qos > 2) {
                throw new IllegalArgumentException("QoS " + qos + " is not 0, 1 or 2");
            }
            this.qos = qos;
            return this;
        }

        public Builder noLocal(boolean noLocal) {
            this.noLocal = noLocal;
            return this;
        }

        public Builder retainAsPublished(boolean retainAsPublished) {
            this.retainAsPublished = retainAsPublished;
            return this;
        }

        /** {@link #SEND_RETAINED}, {@link #SEND_RETAINED_IF_NEW} or {@link #NO_RETAINED}. */
        public Builder retainHandling(int retainHandling) {
            this.retainHandling = retainHandling;
            return this;
        }

        public Builder subscriptionId(int subscriptionId) {
            this.subscriptionId = subscriptionId;
            return this;
        }

        public Subscription build() {
            return new Subscription(filter, shareGroup, qos, noLocal, retainAsPublished, retainHandling, subscriptionId);
        }
    }
}
