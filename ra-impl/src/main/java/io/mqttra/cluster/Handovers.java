package io.mqttra.cluster;

import io.mqttra.broker.SessionHandover;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.logging.Logger;

/**
 * Sessions asked of other nodes and not answered yet. A node that does not answer in time (it is
 * stopping, or stuck) leaves the client with a new session rather than without a CONNACK.
 */
final class Handovers {

    private final Set<String> takeovers = ConcurrentHashMap.newKeySet();

    private static final Logger LOG = Logger.getLogger(Handovers.class.getName());
    static final long TIMEOUT_SECONDS = 5;

    private record Request(CompletableFuture<SessionHandover> claimed, String clientId, String node) {
    }

    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<Long, Request> waiting = new ConcurrentHashMap<>();

    /** Waits for the session of {@code clientId} from {@code node}; returns the request's id. */
    long register(CompletableFuture<SessionHandover> claimed, String clientId, String node) {
        long id = ids.incrementAndGet();
        Request r = new Request(claimed, clientId, node);
        waiting.put(id, r);
        CompletableFuture.delayedExecutor(TIMEOUT_SECONDS, TimeUnit.SECONDS).execute(() -> {
            if (waiting.remove(id, r) && claimed.complete(null)) {
                LOG.warning("MQTT-RA cluster: node " + node + " did not hand client " + clientId + "'s session over within "
                        + TIMEOUT_SECONDS + " s");
            }
        });
        return id;
    }

    /** Request {@code id} will get no answer: the client starts a new session. */
    void unanswered(long id) {
        Request r = waiting.remove(id);
        if (r != null) {
            r.claimed().complete(null);
        }
    }

    /**
     * The session asked for by request {@code id}. When {@code adopt} takes it in as an offline session
     * here, the client's CONNECT resumes it as any session here (the claim completes with null); when it
     * cannot (a session for the client is here already), the CONNECT takes it along itself.
     */
    void answer(long id, SessionHandover handover, BiPredicate<String, SessionHandover> adopt) {
        Request r = waiting.remove(id);
        if (r != null) {
            r.claimed().complete(handover != null && adopt.test(r.clientId(), handover) ? null : handover);
        }
    }

    /**
     * {@code node} died: it will not answer. Its clients' CONNECTs go on at once (they find the session
     * in the grid, or with the survivor that took it), rather than after {@link #TIMEOUT_SECONDS}.
     */
    void nodeGone(String node) {
        waiting.forEach((id, r) -> {
            if (r.node().equals(node) && waiting.remove(id, r)) {
                r.claimed().complete(null);
            }
        });
    }

    void clear() {
        waiting.values().forEach(r -> r.claimed().complete(null));
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
