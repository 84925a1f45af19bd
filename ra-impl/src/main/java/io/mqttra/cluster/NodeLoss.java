package io.mqttra.cluster;

import com.hazelcast.map.IMap;
import io.mqttra.broker.ClusterBus;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What this node does when another one dies: it holds what it was forwarding there ({@link ParkedNode}),
 * publishes the wills the dead node's clients left ({@link GridWills}), takes over those of its persistent
 * sessions that no other survivor took first ({@link GridSessions}), tells every survivor how many it took
 * ({@link NodeItem.Adopted}), and copies held messages to whoever took sessions over. The dead node's
 * routes go once every survivor has answered, or after {@link #ANSWER_SECONDS} when one does not.
 * Runs on the cluster's thread, except {@link #resent}.
 */
final class NodeLoss {

    private static final Logger LOG = Logger.getLogger(NodeLoss.class.getName());
    /** How long the survivors have to say what they took over before held messages are acknowledged anyway. */
    static final int ANSWER_SECONDS = 30;
    /** The connection a session taken over from a dead node has in {@code mqttra.clients}: none yet. */
    static final String ADOPTED = "-";

    private final String self;
    private final ClusterBus.Node node;
    private final GridSessions sessions;
    private final GridWills wills;
    private final IMap<String, String> owners;
    private final ForwardReceipts receipts;
    private final ScheduledExecutorService executor;
    /** The live links, when a loss happens: the survivors that will answer. */
    private final Supplier<Collection<NodeLink>> survivors;
    private final Map<String, ParkedNode> parked = new ConcurrentHashMap<>();
    private final Map<String, NodeLink> goneLinks = new ConcurrentHashMap<>();
    /** By dead node, the client ids of the sessions taken over from it here; for copies sent later. */
    private final Map<String, Set<String>> adoptedFrom = new ConcurrentHashMap<>();

    NodeLoss(String self, ClusterBus.Node node, GridSessions sessions, GridWills wills, IMap<String, String> owners,
             ForwardReceipts receipts, ScheduledExecutorService executor, Supplier<Collection<NodeLink>> survivors) {
        this.self = self;
        this.node = node;
        this.sessions = sessions;
        this.wills = wills;
        this.owners = owners;
        this.receipts = receipts;
        this.executor = executor;
        this.survivors = survivors;
    }

    /** {@code link}'s node is gone (and no longer among the survivors). */
    void nodeGone(NodeLink link) {
        String gone = link.nodeId();
        // a survivor that dies no longer answers for the nodes that died before it
        for (ParkedNode p : parked.values()) {
            if (p.answered(gone)) {
                released(p);
            }
        }
        Collection<NodeLink> others = survivors.get();
        ParkedNode p = new ParkedNode(gone, others.stream().map(NodeLink::nodeId).collect(Collectors.toSet()));
        parked.put(gone, p);
        goneLinks.put(gone, link);
        link.park(p);
        for (ForwardReceipts.Unconfirmed u : receipts.takeFrom(gone)) {
            p.park(u.id(), u.parcel(), u.stored());
        }
        wills.publishWillsOf(gone, node);
        Set<String> taken = adopt(gone);
        NodeItem.Adopted answer = new NodeItem.Adopted(self, gone, taken.size());
        others.forEach(l -> l.send(answer));
        if (!taken.isEmpty()) {
            p.adopted((parcel, withShared) -> node.deliverToAdopted(parcel.message(), taken, withShared ? parcel.shared() : List.of()));
        }
        if (others.isEmpty() && p.release()) {
            released(p);
        }
        executor.schedule(() -> {
            Set<String> silent = p.awaiting();
            if (p.release()) {
                LOG.warning("MQTT-RA cluster: node(s) " + silent + " did not say which sessions of node " + gone + " they took over within "
                        + ANSWER_SECONDS + " s; the messages held for them are acknowledged without them");
                released(p);
            }
        }, ANSWER_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * At start: the sessions of {@code dead}, a node that died when no other was there to take them over
     * (or this node's previous run, which the others may not have missed yet), continue here. The others
     * hear of it, also when there were none left: those that count this node among the survivors of
     * {@code dead} wait for its answer before acknowledging what they held for it.
     */
    void adoptLeftovers(String dead) {
        Set<String> taken = adopt(dead);
        NodeItem.Adopted answer = new NodeItem.Adopted(self, dead, taken.size());
        survivors.get().forEach(l -> l.send(answer));
    }

    /** At start: {@code dead}, this node's previous run, left no session in the grid; those that wait for an answer get it. */
    void noneLeft(String dead) {
        NodeItem.Adopted answer = new NodeItem.Adopted(self, dead, 0);
        survivors.get().forEach(l -> l.send(answer));
    }

    /** A survivor took {@code a.sessions()} sessions of a dead node over; it may know of the loss before this node. */
    void adoptedElsewhere(NodeItem.Adopted a, NodeLink from, Runnable noticeLoss) {
        if (!parked.containsKey(a.goneNode())) {
            noticeLoss.run();
        }
        ParkedNode p = parked.get(a.goneNode());
        if (p == null || from == null) {
            return;
        }
        if (a.sessions() > 0) {
            p.adopted((parcel, withShared) -> from.resend(a.goneNode(), parcel, withShared));
        }
        if (p.answered(a.sender())) {
            released(p);
        }
    }

    /** On the inbox's thread: a copy of a message held for {@code r.goneNode()}, for the sessions taken from it here. */
    CompletableFuture<Void> resent(NodeItem.Resend r) {
        Set<String> clientIds = adoptedFrom.getOrDefault(r.goneNode(), Set.of());
        return node.deliverToAdopted(r.message(), clientIds, r.shared());
    }

    /**
     * A client connecting here took its session over from the grid before a survivor did; the others
     * hear of it when this node has answered for that node already.
     */
    void tookOrphan(GridSessions.Orphan orphan, boolean lossKnown, Collection<NodeLink> others) {
        adoptedFrom.computeIfAbsent(orphan.node(), n -> ConcurrentHashMap.newKeySet()).add(orphan.clientId());
        if (lossKnown) {
            NodeItem.Adopted answer = new NodeItem.Adopted(self, orphan.node(), 1);
            others.forEach(l -> l.send(answer));
        }
    }

    void clear() {
        parked.values().forEach(ParkedNode::release);
        parked.clear();
        goneLinks.clear();
        adoptedFrom.clear();
    }

    /** Every survivor answered: the dead node's routes go, and so does what this node remembers of it. */
    private void released(ParkedNode p) {
        parked.remove(p.nodeId(), p);
        NodeLink link = goneLinks.remove(p.nodeId());
        if (link != null) {
            node.removeRemoteNode(link);
        }
        // copies still on their way find the adopted sessions until then
        executor.schedule(() -> adoptedFrom.remove(p.nodeId()), ANSWER_SECONDS * 10L, TimeUnit.SECONDS);
    }

    /** The persistent sessions {@code gone} left behind continue here, unless a survivor took them first. */
    private Set<String> adopt(String gone) {
        Set<String> taken = adoptedFrom.computeIfAbsent(gone, n -> ConcurrentHashMap.newKeySet());
        try {
            List<GridSessions.Orphan> orphans = sessions.takeSessionsOf(gone);
            Map<String, String> holders = orphans.isEmpty() ? Map.of()
                    : owners.getAll(orphans.stream().map(GridSessions.Orphan::clientId).collect(Collectors.toSet()));
            int messages = 0;
            for (GridSessions.Orphan orphan : orphans) {
                String clientId = orphan.clientId();
                if (adoptHere(orphan)) {
                    messages += orphan.state().messages().size();
                    taken.add(clientId);
                }
                // after the adoption: a CONNECT here that finds this node the owner must find the session too
                String holder = holders.get(clientId);
                if (holder != null && holder.startsWith(gone + ' ')) {
                    owners.replace(clientId, holder, self + ' ' + ADOPTED); // a CONNECT elsewhere asks this node now
                }
                sessions.forgetOld(orphan);
            }
            if (!orphans.isEmpty()) {
                LOG.info("MQTT-RA cluster: " + orphans.size() + " persistent session(s) of node " + gone + " continue here, with "
                        + messages + " message(s)");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "MQTT-RA cluster: the sessions of node " + gone + " could not all be taken over", e);
        }
        return taken;
    }

    /**
     * At start, before the listeners open: the sessions this node's disk kept ({@link GridSessions#restore})
     * continue here, as those of the dead node they were left to (this node's previous run).
     *
     * @return how many messages they have
     */
    int adoptRestored(List<GridSessions.Orphan> restored) {
        int messages = 0;
        Map<String, String> here = new HashMap<>();
        for (GridSessions.Orphan orphan : restored) {
            if (adoptHere(orphan)) {
                messages += orphan.state().messages().size();
                adoptedFrom.computeIfAbsent(orphan.node(), n -> ConcurrentHashMap.newKeySet()).add(orphan.clientId());
                here.put(orphan.clientId(), self + ' ' + ADOPTED);
            } else {
                sessions.dropped(orphan.clientId());
            }
            sessions.forgetOnDisk(orphan);
        }
        // a reconnecting client's claim then finds its session here without reading the grid's entry, and a
        // CONNECT elsewhere asks this node at once; one batch, as the sessions' entries went in
        if (!here.isEmpty()) {
            owners.putAll(here);
        }
        return messages;
    }

    /**
     * A refusal means this node has a session for the client already, which it started with a clean start
     * (a resuming CONNECT takes the grid's session over, see {@link ClientClaims}): the old session's
     * messages are discarded with it [MQTT-3.1.2-4]. Or {@code maxClientSessions} is reached.
     */
    private boolean adoptHere(GridSessions.Orphan orphan) {
        if (node.adopt(orphan.clientId(), orphan.state())) {
            return true;
        }
        LOG.warning("MQTT-RA cluster: client " + orphan.clientId() + " has a new session here already, or there is no room; the "
                + orphan.state().messages().size() + " message(s) of the session its node " + orphan.node() + " left behind are dropped");
        return false;
    }
}
