package io.mqttra.cluster;

import com.hazelcast.map.IMap;
import io.mqttra.broker.SessionHandover;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiPredicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Client identifiers owned in {@code mqttra.clients}: a CONNECT here claims its client's id, and the
 * session comes along from wherever it is: another live node hands it over, a node that is gone left it
 * in the grid ({@link GridSessions#takeSession}).
 */
final class ClientClaims {

    private static final Logger LOG = Logger.getLogger(ClientClaims.class.getName());

    private final String self;
    private final IMap<String, String> owners;
    private final GridSessions sessions;
    private final NodeLoss loss;
    private final Handovers handovers;
    private final Map<String, NodeLink> links;
    private final Set<String> gone;
    /** The cluster's thread, which also runs the adoptions of dead nodes' sessions. */
    private final Executor executor;
    private final GridFutures futures;
    /** Takes a session in here as an offline one, which the CONNECT then resumes; false when it cannot. */
    private final BiPredicate<String, SessionHandover> adopt;

    ClientClaims(String self, IMap<String, String> owners, GridSessions sessions, NodeLoss loss, Handovers handovers,
                 Map<String, NodeLink> links, Set<String> gone, Executor executor, GridFutures futures,
                 BiPredicate<String, SessionHandover> adopt) {
        this.adopt = adopt;
        this.self = self;
        this.owners = owners;
        this.sessions = sessions;
        this.loss = loss;
        this.handovers = handovers;
        this.links = links;
        this.gone = gone;
        this.executor = executor;
        this.futures = futures;
    }

    CompletableFuture<SessionHandover> claim(String clientId, String connectionId, boolean resume) {
        CompletableFuture<SessionHandover> claimed = new CompletableFuture<>();
        futures.plain(owners.putAsync(clientId, self + " " + connectionId)).whenComplete((previous, failed) -> {
            if (failed != null) {
                LOG.log(Level.WARNING, "MQTT-RA cluster: could not record that client " + clientId + " is here", failed);
                claimed.complete(null);
                return;
            }
            if (previous == null) {
                if (resume) {
                    unownedSession(clientId, claimed);
                } else {
                    claimed.complete(null);
                }
                return;
            }
            int space = previous.indexOf(' ');
            String owner = space < 0 ? self : previous.substring(0, space);
            // on this node the session registry takes over; a node that is gone left its session in the grid
            NodeLink link = owner.equals(self) ? null : links.get(owner);
            if (link == null) {
                if (resume && !owner.equals(self)) {
                    executor.execute(() -> takeOrphan(clientId, claimed));
                } else {
                    claimed.complete(null);
                }
                return;
            }
            CompletableFuture<SessionHandover> asked = new CompletableFuture<>();
            asked.whenComplete((handover, notAnswered) -> {
                if (handover == null && gone.contains(owner)) {
                    // it died before it answered: its session is in the grid
                    executor.execute(() -> takeOrphan(clientId, claimed));
                } else {
                    claimed.complete(handover);
                }
            });
            long requestId = resume ? handovers.register(asked, clientId, owner) : 0;
            LOG.fine(() -> "Client " + clientId + " came from node " + owner + ", which now lets it go");
            link.send(new NodeItem.Takeover(self, clientId, previous.substring(space + 1), requestId))
                    .whenComplete((sent, notSent) -> {
                        if (notSent != null) {
                            handovers.unanswered(requestId);
                        }
                    });
            if (!resume) {
                claimed.complete(null);
            }
        });
        return claimed;
    }

    /**
     * A client resuming whose id nobody owns may still have a session in the grid: restored from a disk
     * or adopted from a dead node (neither records an owner), or left by a node that died unseen. The
     * grid's entry says whose it is; the usual case, a client's first connection, costs one read.
     */
    private void unownedSession(String clientId, CompletableFuture<SessionHandover> claimed) {
        sessions.ownerOfAsync(clientId).whenComplete((holder, failed) -> {
            if (failed != null || holder == null) {
                claimed.complete(null);
            } else if (holder.equals(self)) {
                // through the cluster's thread: an adoption running there has put the session here when this runs
                executor.execute(() -> claimed.complete(null));
            } else {
                executor.execute(() -> takeOrphan(clientId, claimed));
            }
        });
    }

    /**
     * On the cluster's thread: the session of a client whose node is gone, taken over from the grid
     * before a survivor did; when one did, it hands the session over as a live node would.
     */
    private void takeOrphan(String clientId, CompletableFuture<SessionHandover> claimed) {
        try {
            GridSessions.Orphan orphan = sessions.takeSession(clientId, links.keySet());
            if (orphan != null) {
                sessions.forgetOld(orphan);
                // in the registry before the others hear of it: the copies they send for it must find it here,
                // not wait for the CONNECT's own thread to restore it
                boolean here = adopt.test(clientId, orphan.state());
                loss.tookOrphan(orphan, gone.contains(orphan.node()), links.values());
                LOG.info("MQTT-RA cluster: client " + clientId + " resumes here the session its node left behind, with "
                        + orphan.state().messages().size() + " message(s)");
                claimed.complete(here ? null : orphan.state());
                return;
            }
            String owner = sessions.ownerOf(clientId);
            NodeLink link = owner == null ? null : links.get(owner);
            if (link != null) {
                // a survivor took it first: it hands it over as any node does
                long requestId = handovers.register(claimed, clientId, owner);
                link.send(new NodeItem.Takeover(self, clientId, NodeLoss.ADOPTED, requestId));
                return;
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "MQTT-RA cluster: client " + clientId + "'s session could not be taken from the grid", e);
        }
        claimed.complete(null);
    }

    /** Its session ended here: the id is nobody's unless another connection claimed it meanwhile. */
    void released(String clientId, String connectionId) {
        executor.execute(() -> {
            try {
                owners.remove(clientId, self + " " + connectionId);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "MQTT-RA cluster: releasing client " + clientId, e);
            }
        });
    }
}
