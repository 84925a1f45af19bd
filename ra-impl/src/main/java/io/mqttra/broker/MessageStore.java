package io.mqttra.broker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Stable storage for queues of messages that must outlive the process (a durable subscription's
 * queue). Writes are grouped: {@link #add} returns at once and its future completes when the message
 * is on disk, so a publisher's acknowledgement can wait for it without blocking an I/O thread.
 */
public interface MessageStore extends AutoCloseable {

    /**
     * One queued message.
     *
     * @param id its position in its queue (ascending, unique per queue)
     * @param message the message
     * @param qos the QoS it is delivered with
     * @param fromRetainedStore whether it came from the retained store
     * @param deliveryCount 1 for a first delivery, more once it failed
     * @param messageId what consumers see as the message's id (JMS {@code JMSMessageID}), drawn once when the
     *                  message entered the queue and kept through redeliveries and restarts, so a consumer can
     *                  recognise a message it has already processed; null when the store's format predates it
     */
    record StoredMessage(long id, PublishedMessage message, int qos, boolean fromRetainedStore, int deliveryCount,
                         String messageId) {

        public StoredMessage withDeliveryCount(int count) {
            return new StoredMessage(id, message, qos, fromRetainedStore, count, messageId);
        }

        public StoredMessage withMessageId(String newMessageId) {
            return new StoredMessage(id, message, qos, fromRetainedStore, deliveryCount, newMessageId);
        }
    }

    /** A queue found at start, with what defines it (owner-specific) and its messages in order. */
    record StoredQueue(String name, Map<String, String> definition, List<StoredMessage> messages) {
    }

    /** The queues left by the previous run. */
    List<StoredQueue> queues();

    /** Whether the previous run ended without closing the store (a crash or a kill): its last deliveries are in doubt. */
    boolean recoveredAfterCrash();

    /** Creates the queue or replaces its definition. */
    void defineQueue(String name, Map<String, String> definition);

    /** Appends a message; the future completes when it is on disk, exceptionally if it could not be written. */
    CompletableFuture<Void> add(String queue, StoredMessage message);

    /** Removes a settled message (written with the next group of writes). */
    void remove(String queue, long id);

    /** Removes the queue and everything in it. */
    void dropQueue(String name);

    /**
     * A map of byte arrays by key in the same file, written with the same group commits: what the cluster
     * keeps of its sessions and retained messages so that they outlive a restart of every server.
     */
    interface KeptMap {

        /** What the map held when the store was opened or when this was asked, by key. */
        Map<String, byte[]> entries();

        /** The future completes when the entry is on disk. */
        CompletableFuture<Void> put(String key, byte[] value);

        /** Removed with the next group of writes. */
        void remove(String key);
    }

    /** The kept map {@code name}, created when the store has none. */
    KeptMap keptMap(String name);

    /** Writes what is pending and closes; the next run sees a clean end. */
    @Override
    void close();
}
