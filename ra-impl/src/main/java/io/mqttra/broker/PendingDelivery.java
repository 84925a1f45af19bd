package io.mqttra.broker;

/**
 * A message on its way to one client: in its {@link Inbox}, queued in its {@link Outbox}, or sent at
 * QoS 1/2 and not yet completed. Owned by one thread at a time: the publisher's until it is in the
 * inbox, then whoever takes it out.
 */
final class PendingDelivery {

    final PublishedMessage message;
    final Delivery delivery;
    int packetId;
    /** QoS 2: PUBREC received and PUBREL sent. */
    boolean released;
    /** Counted against the inbox's bound while in it. */
    boolean counted;
    /** QoS 0 bytes reserved in the {@link ClientBuffer} when it entered the inbox, until written or dropped. */
    long reservedBytes;
    /** The grid's copy, for a persistent session's QoS 1/2 message in a cluster; forgotten once it is settled. */
    ClusterBus.KeptMessage kept;

    PendingDelivery(PublishedMessage message, Delivery delivery) {
        this.message = message;
        this.delivery = delivery;
    }

    /** It is delivered or dropped: the grid's copy goes. */
    void settled() {
        ClusterBus.KeptMessage k = kept;
        if (k != null) {
            kept = null;
            k.forget();
        }
    }
}
