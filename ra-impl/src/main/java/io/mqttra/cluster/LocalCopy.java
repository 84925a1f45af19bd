package io.mqttra.cluster;

import io.mqttra.broker.MessageStore;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * This node's copy, on its own disk ({@link MessageStore#keptMap}), of what it keeps in the grid: its
 * persistent sessions, the QoS 1/2 messages on their way to them, and every retained message it has seen.
 * The grid keeps them while any member runs; the copy is for when none does (a single server restarted,
 * killed, or a whole cluster restarted). Written with the store's group commits: a write completes once
 * on disk, so a publisher acknowledged after both the grid's write and this one loses nothing to a kill.
 */
final class LocalCopy {

    /** Without {@code persistence}: nothing on disk. */
    static final LocalCopy NONE = new LocalCopy(null, null, null);

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final MessageStore.KeptMap sessions;
    private final MessageStore.KeptMap queued;
    private final MessageStore.KeptMap retained;

    private LocalCopy(MessageStore.KeptMap sessions, MessageStore.KeptMap queued, MessageStore.KeptMap retained) {
        this.sessions = sessions;
        this.queued = queued;
        this.retained = retained;
    }

    static LocalCopy in(MessageStore store) {
        return new LocalCopy(store.keptMap("grid.sessions"), store.keptMap("grid.queued"), store.keptMap("grid.retained"));
    }

    boolean isOn() {
        return sessions != null;
    }

    CompletableFuture<Void> session(String clientId, byte[] entry) {
        return sessions == null ? DONE : sessions.put(clientId, entry);
    }

    void sessionGone(String clientId) {
        if (sessions != null) {
            sessions.remove(clientId);
        }
    }

    CompletableFuture<Void> message(String key, byte[] value) {
        return queued == null ? DONE : queued.put(key, value);
    }

    void messageGone(String key) {
        if (queued != null) {
            queued.remove(key);
        }
    }

    CompletableFuture<Void> retained(String topic, byte[] message) {
        if (retained == null) {
            return DONE;
        }
        if (message == null) {
            retained.remove(topic);
            return DONE;
        }
        return retained.put(topic, message);
    }

    Map<String, byte[]> sessions() {
        return sessions == null ? Map.of() : sessions.entries();
    }

    Map<String, byte[]> messages() {
        return queued == null ? Map.of() : queued.entries();
    }

    Map<String, byte[]> retainedMessages() {
        return retained == null ? Map.of() : retained.entries();
    }
}
