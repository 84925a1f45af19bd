package io.mqttra.cluster;

import io.mqttra.broker.SessionHandover;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Sessions asked of other nodes and not answered yet. A node that does not answer in time (it is
 * stopping, or stuck) leaves the client with a new session rather than without a CONNACK.
 */
final class Handovers {

    private final Set<String> takeovers = ConcurrentHashMap.newKeySet();

    private static final Logger LOG = Logger.getLogger(Handovers.class.getName());
    static final long TIMEOUT_SECONDS = 5;

    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<Long, CompletableFuture<SessionHandover>> waiting = new ConcurrentHashMap<>();

    /** Waits for the session of {@code clientId} from {@code node}; returns the request's id. */
    long register(CompletableFuture<SessionHandover> claimed, String clientId, String node) {
        long id = ids.incrementAndGet();
        waiting.put(id, claimed);
        CompletableFuture.delayedExecutor(TIMEOUT_SECONDS, TimeUnit.SECONDS).execute(() -> {
            if (waiting.remove(id, claimed) && claimed.complete(null)) {
                LOG.warning("MQTT-RA cluster: node " + node + " did not hand client " + clientId + "'s session over within "
                        + TIMEOUT_SECONDS + " s; the client starts a new session");
            }
        });
        return id;
    }

    void answer(long id, SessionHandover handover) {
        CompletableFuture<SessionHandover> claimed = waiting.remove(id);
        if (claimed != null) {
            claimed.complete(handover);
        }
    }

    void clear() {
        waiting.values().forEach(f -> f.complete(null));
        waiting.clear();
    }

    /**
     * Another node took {@code clientId} over from this node's connection {@code connectionId}; remembered
     * for a while, as the connection may still be being claimed here, with no session to end yet.
     */
    void takenOver(String clientId, String connectionId, ScheduledExecutorService timer) {
        String key = clientId + ' ' + connectionId;
        takeovers.add(key);
        timer.schedule(() -> takeovers.remove(key), 60, TimeUnit.SECONDS);
    }

    boolean takenOverMeanwhile(String clientId, String connectionId) {
        return takeovers.remove(clientId + ' ' + connectionId);
    }
}
