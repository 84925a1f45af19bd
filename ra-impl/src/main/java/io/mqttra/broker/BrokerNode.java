package io.mqttra.broker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/** This broker as the cluster sees it ({@link ClusterBus.Node}): other nodes' routes and messages, takeovers. */
final class BrokerNode implements ClusterBus.Node {

    private static final Logger LOG = Logger.getLogger(BrokerNode.class.getName());

    private final MqttBroker broker;
    /** The routes each other node has here, so that they all go when it leaves. */
    private final ConcurrentHashMap<RemoteNode, Set<Subscription>> remoteRoutes = new ConcurrentHashMap<>();

    BrokerNode(MqttBroker broker) {
        this.broker = broker;
    }

    @Override
    public void addRemoteRoute(RemoteNode node, String filter, String shareGroup) {
        Subscription route = LocalRoutes.routeKey(new Subscription(filter, shareGroup, 2, false, true, 0, 0));
        remoteRoutes.computeIfAbsent(node, n -> ConcurrentHashMap.newKeySet()).add(route);
        broker.router().subscribe(node, route);
    }

    @Override
    public void removeRemoteRoute(RemoteNode node, String filter, String shareGroup) {
        Subscription route = LocalRoutes.routeKey(new Subscription(filter, shareGroup, 2, false, true, 0, 0));
        Set<Subscription> routes = remoteRoutes.get(node);
        if (routes != null) {
            routes.remove(route);
        }
        broker.router().unsubscribe(node, route);
    }

    @Override
    public void removeRemoteNode(RemoteNode node) {
        Set<Subscription> routes = remoteRoutes.remove(node);
        if (routes != null) {
            routes.forEach(r -> broker.router().unsubscribe(node, r));
        }
    }

    @Override
    public CompletableFuture<Void> deliverForwarded(PublishedMessage message, boolean ordinary, List<Subscription> shared) {
        return broker.router().routeForwarded(message, ordinary, shared);
    }

    @Override
    public CompletableFuture<Void> deliverToAdopted(PublishedMessage message, Set<String> clientIds, List<Subscription> shared) {
        return broker.router().routeToAdopted(message, clientIds, shared);
    }

    @Override
    public SessionHandover takenOver(String clientId, String connectionId, RemoteNode movesTo) {
        if (movesTo != null) {
            // the new node's routes for the session reach this node only after the session has left it: until
            // then, what its subscriptions match goes there by routes of the same filters, or a publisher here
            // would be acknowledged for a message that reached nobody
            List<Subscription> added = new ArrayList<>();
            ClientSession session = broker.sessions().get(clientId);
            if (session != null) {
                for (Subscription s : session.subscriptions()) {
                    Subscription route = LocalRoutes.routeKey(new Subscription(s.filter(), s.shareGroup(), 2, false, true, 0, 0));
                    if (remoteRoutes.computeIfAbsent(movesTo, n -> ConcurrentHashMap.newKeySet()).add(route)) {
                        broker.router().subscribe(movesTo, route);
                        added.add(route);
                    }
                }
            }
            SessionHandover handover = broker.sessions().handOver(clientId, connectionId, ConnectionClosing::closeTakenOver, movesTo);
            if (handover == null) {
                added.forEach(r -> removeRemoteRoute(movesTo, r.filter(), r.shareGroup()));
            }
            LOG.fine(() -> "Client " + clientId + " resumed its session on another node of the cluster; it takes "
                    + (handover == null ? "nothing" : handover.subscriptions().size() + " subscription(s) and "
                    + handover.messages().size() + " message(s)") + " along");
            return handover;
        }
        if (broker.sessions().delete(clientId, connectionId, ConnectionClosing::closeTakenOver)) {
            LOG.fine(() -> "Client " + clientId + " connected to another node of the cluster; its session here ended");
        }
        return null;
    }

    @Override
    public boolean adopt(String clientId, SessionHandover state) {
        boolean adopted = broker.sessions().adopt(clientId, state);
        // one line per session, 10,000 at a restart: half the time adopting them took went to formatting it
        LOG.fine(() -> "MQTT-RA cluster: client " + clientId + "'s session, whose node is gone, "
                + (adopted ? "continues here with " + state.subscriptions().size() + " subscription(s) and "
                + state.messages().size() + " message(s)" : "was not taken: this node has one already or no room"));
        return adopted;
    }

    @Override
    public void publishOrphanedWill(PublishedMessage will) {
        LOG.info(() -> "MQTT-RA cluster: publishing the will of client " + will.publisherClientId() + ", whose node is gone");
        // expiry counts from the will's publication, as for any will
        broker.router().route(will.receivedAt(System.currentTimeMillis()));
    }

    @Override
    public Collection<Subscription> localRoutes() {
        return broker.router().localRoutes();
    }

    @Override
    public RetainedMessages retained() {
        return broker.router().retained();
    }
}
