package io.mqttra.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.mqttra.broker.BrokerStartException;
import io.mqttra.broker.ClusterBus;
import io.mqttra.broker.MessageStore;
import io.mqttra.broker.PublishedMessage;
import io.mqttra.broker.RemoteNode;
import io.mqttra.broker.SessionHandover;
import io.mqttra.broker.Subscription;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The broker's {@link ClusterBus} on a Hazelcast grid. Every broker is a node, listed with a time to live
 * in the map {@code mqttra.nodes} (renewed while it runs, so that a node whose JVM died drops out),
 * with an inbox ringbuffer that the other nodes write to ({@link NodeLink}) and it reads ({@link Inbox}).
 * Client identifiers are owned in {@code mqttra.clients}, retained messages kept in {@code mqttra.retained}
 * for nodes that join later. See docs/cluster.md.
 *
 * <p>What is left here is the ClusterBus contract and the dispatch of inbox items, each a few lines handing
 * over to {@link NodeLoss}, {@link GridSessions}, {@link GridRetained}, {@link GridWills}, {@link RouteTable},
 * {@link Handovers} or {@link ClientClaims}.
 */
public final class HazelcastCluster implements ClusterBus {

    private static final Logger LOG = Logger.getLogger(HazelcastCluster.class.getName());
    /** A node that has not renewed its entry for this long is gone. */
    static final int NODE_TTL_SECONDS = 10;

    private final ClusterSettings settings;
    private final String self = UUID.randomUUID().toString();
    private final ConcurrentHashMap<String, NodeLink> links = new ConcurrentHashMap<>();
    private final Set<String> gone = ConcurrentHashMap.newKeySet();
    private final RouteTable routes = new RouteTable(self);
    private final Handovers handovers = new Handovers();
    private ForwardReceipts receipts;
    private ScheduledExecutorService executor;
    private HazelcastInstance grid;
    private Node node;
    private Inbox inbox;
    private IMap<String, String> nodes;
    private IMap<String, String> owners;
    private GridRetained retained;
    private GridWills wills;
    private GridSessions sessions;
    private ExecutorService sessionWriter;
    private NodeLoss loss;
    private ClientClaims claims;
    private GridFutures futures;
    private LocalCopy local = LocalCopy.NONE;

    public HazelcastCluster(ClusterSettings settings) {
        this.settings = settings;
    }

    @Override
    public synchronized void start(Node broker) throws BrokerStartException {
        this.node = broker;
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "mqtt-ra-cluster");
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        executor = pool;
        receipts = new ForwardReceipts(self, executor);
        futures = new GridFutures();
        try {
            grid = GridInstances.start(settings, HazelcastCluster.class.getClassLoader());
        } catch (RuntimeException e) {
            executor.shutdownNow();
            futures.close();
            throw new BrokerStartException("Cannot start the cluster (" + settings + "): " + e.getMessage(), e);
        }
        nodes = grid.getMap("mqttra.nodes");
        owners = grid.getMap("mqttra.clients");
        retained = new GridRetained(grid.getMap("mqttra.retained"), local, futures);
        wills = new GridWills(grid.getMap("mqttra.wills"), self, executor);
        sessionWriter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mqtt-ra-cluster-sessions");
            t.setDaemon(true);
            return t;
        });
        sessions = new GridSessions(grid.getMap("mqttra.sessions"), grid.getMap("mqttra.queued"), self, sessionWriter, local, futures);
        loss = new NodeLoss(self, node, sessions, wills, owners, receipts, executor, () -> new ArrayList<>(links.values()));
        claims = new ClientClaims(self, owners, sessions, loss, handovers, links, gone, executor, futures, node::adopt);
        inbox = new Inbox(grid.getRingbuffer(GridInstances.INBOX_PREFIX + self), this::handle, executor);
        inbox.start();
        NodeWatch watch = new NodeWatch(nodes, executor, this::nodeSeen, this::nodeGone);
        nodes.addEntryListener(watch, false);
        if (!settings.isClient()) {
            grid.getCluster().addMembershipListener(watch.memberListener());
        }
        retained.restore();
        int kept = retained.load(node.retained());
        // this node's previous run is dead: the others need not wait for its entry to expire, nor may it get a link
        Set<String> previous = sessions.previousNodes();
        previous.forEach(nodes::remove);
        gone.addAll(previous);
        announceSelf();
        for (String other : nodes.keySet()) {
            if (!previous.contains(other)) {
                nodeSeen(other);
            }
        }
        long adoptionStart = System.nanoTime();
        int restored = adoptBeforeListening(previous);
        long adoptionMillis = (System.nanoTime() - adoptionStart) / 1_000_000;
        executor.scheduleWithFixedDelay(this::announceSelf, NODE_TTL_SECONDS / 3, NODE_TTL_SECONDS / 3, TimeUnit.SECONDS);
        LOG.info("MQTT-RA cluster: " + settings + "; this node " + self + "; grid members "
                + grid.getCluster().getMembers() + "; other MQTT-RA nodes " + links.size()
                + "; retained messages from the grid " + kept + (local.isOn() ? "; sessions from this server's disk " + restored : "")
                + "; sessions taken over before listening in " + adoptionMillis + " ms");
    }

    /**
     * On the cluster's thread, and waited for: a client that connects must find its session here (from this
     * server's disk) or with the node that adopted it, not start a new one while adoption is under way.
     *
     * @return how many sessions came back from the disk
     */
    private int adoptBeforeListening(Set<String> previous) throws BrokerStartException {
        Future<Integer> adopted = executor.submit(() -> {
            long began = System.nanoTime();
            List<GridSessions.Orphan> restored = sessions.restore();
            int messages = loss.adoptRestored(restored);
            if (!restored.isEmpty()) {
                LOG.info("MQTT-RA cluster: " + restored.size() + " persistent session(s) from this server's disk continue here, with "
                        + messages + " message(s), in " + (System.nanoTime() - began) / 1_000_000 + " ms");
            }
            Set<String> dead = sessions.orphanedNodes(nodes.keySet());
            dead.forEach(loss::adoptLeftovers);
            previous.stream().filter(p -> !dead.contains(p)).forEach(loss::noneLeft);
            return restored.size();
        });
        try {
            return adopted.get();
        } catch (ExecutionException e) {
            throw new BrokerStartException("Cannot take over the persistent sessions: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerStartException("Interrupted while taking over the persistent sessions", e);
        }
    }

    @Override
    public synchronized void stop() {
        if (grid == null) {
            return;
        }
        try {
            inbox.stop();
            wills.forgetOwn();
            // this node's persistent sessions stay in the grid, where the others take them over
            sessionWriter.shutdown();
            sessionWriter.awaitTermination(5, TimeUnit.SECONDS);
            // the others drop this node's routes now rather than when its entry expires
            nodes.remove(self);
            grid.getRingbuffer(GridInstances.INBOX_PREFIX + self).destroy();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "MQTT-RA cluster: leaving", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        grid.shutdown();
        grid = null;
        executor.shutdownNow();
        futures.close();
        handovers.clear();
        loss.clear();
        receipts.clear();
        LOG.info("MQTT-RA cluster: node " + self + " left");
    }

    @Override
    public boolean takenOverMeanwhile(String clientId, String connectionId) {
        return handovers.takenOverMeanwhile(clientId, connectionId);
    }

    @Override
    public void keepIn(MessageStore store) {
        local = LocalCopy.in(store);
    }

    @Override
    public boolean isClustered() {
        return true;
    }

    @Override
    public Collection<RemoteNode> remoteNodes() {
        return new ArrayList<>(links.values());
    }

    @Override
    public CompletableFuture<Void> routeAdded(String filter, String shareGroup) {
        return announce(filter, shareGroup, true);
    }

    @Override
    public void routeRemoved(String filter, String shareGroup) {
        announce(filter, shareGroup, false);
    }

    private CompletableFuture<Void> announce(String filter, String shareGroup, boolean present) {
        List<NodeLink> to = new ArrayList<>(links.values());
        CompletableFuture<Void> done = new CompletableFuture<>();
        NodeItem.Route route = routes.change(filter, shareGroup, present, to.stream().map(NodeLink::nodeId).toList(), done);
        for (NodeLink link : to) {
            link.send(route).exceptionally(failed -> {
                routes.acked(link.nodeId(), route.ackId()); // nobody to wait for there
                return null;
            });
        }
        return done;
    }

    @Override
    public CompletableFuture<Void> retainedBarrier() {
        return links.isEmpty() ? CompletableFuture.completedFuture(null) : inbox.caughtUp();
    }

    @Override
    public CompletableFuture<Void> retainedStored(PublishedMessage message) {
        return retained.stored(message);
    }

    @Override
    public CompletableFuture<SessionHandover> claim(String clientId, String connectionId, boolean resume) {
        return claims.claim(clientId, connectionId, resume);
    }

    @Override
    public CompletableFuture<Void> sessionKept(String clientId, long expirySeconds, Collection<Subscription> subscriptions) {
        return sessions.kept(clientId, expirySeconds, subscriptions);
    }

    @Override
    public void sessionDropped(String clientId) {
        sessions.dropped(clientId);
    }

    @Override
    public KeptMessage keepMessage(String clientId, SessionHandover.QueuedMessage message) {
        return sessions.keep(clientId, message);
    }

    @Override
    public void willKept(String clientId, String connectionId, PublishedMessage will) {
        wills.kept(clientId, connectionId, will);
    }

    @Override
    public void willDone(String clientId, String connectionId) {
        wills.done(clientId, connectionId);
    }

    @Override
    public void sessionEnded(String clientId, String connectionId) {
        claims.released(clientId, connectionId);
    }

    /** On the inbox's thread, one item at a time in the order the sender sent them. */
    private void handle(NodeItem item) {
        if (gone.contains(item.sender())) {
            return;
        }
        NodeLink from = nodeSeen(item.sender());
        if (item instanceof NodeItem.Forward f) {
            if (f.message().retain()) {
                retained.forwarded(f.message());
            }
            CompletableFuture<Void> stored = node.deliverForwarded(f.message(), f.ordinary(), f.shared());
            if (f.storeId() != 0) {
                receipts.answer(from, f.storeId(), stored);
            }
        } else if (item instanceof NodeItem.Moved m) {
            receipts.answer(from, m.storeId(), node.deliverToAdopted(m.message(), Set.of(m.clientId()), List.of()));
        } else if (item instanceof NodeItem.Resend r) {
            receipts.answer(from, r.storeId(), loss.resent(r));
        } else if (item instanceof NodeItem.Adopted a) {
            executor.execute(() -> loss.adoptedElsewhere(a, links.get(a.sender()),
                    () -> nodeGone(a.goneNode(), "is gone, says node " + a.sender())));
        } else if (item instanceof NodeItem.Stored st) {
            receipts.received(st.storeIds());
        } else if (item instanceof NodeItem.Route r) {
            apply(from, r);
            if (r.ackId() != 0) {
                from.send(new NodeItem.RouteAck(self, r.ackId()));
            }
        } else if (item instanceof NodeItem.RouteAck a) {
            routes.acked(a.sender(), a.ackId());
        } else if (item instanceof NodeItem.Routes rs) {
            rs.routes().forEach(r -> apply(from, r));
        } else if (item instanceof NodeItem.Takeover t) {
            if (NodeLoss.ADOPTED.equals(t.connectionId())) {
                // a session this node took from a dead node: the grid named it here before the adoption, on the
                // cluster's thread, put the session in the registry; behind it, the session is there to hand over
                executor.execute(() -> takenOver(t, from));
            } else {
                takenOver(t, from);
            }
        } else if (item instanceof NodeItem.Session s) {
            // taken in here at once, before the next item: what the old node forwards for it from now on finds it
            handovers.answer(s.requestId(), s.handover(), node::adopt);
        }
    }

    private void takenOver(NodeItem.Takeover t, NodeLink from) {
        handovers.takenOver(t.clientId(), t.connectionId(), executor);
        if (t.requestId() == 0) {
            node.takenOver(t.clientId(), t.connectionId(), null);
            return;
        }
        // the session goes first: what its subscriptions match here from now on is forwarded there behind it
        Function<NodeItem, CompletableFuture<Void>> answer = from.reserve();
        SessionHandover handover = node.takenOver(t.clientId(), t.connectionId(), from);
        answer.apply(new NodeItem.Session(self, t.requestId(), handover));
    }

    private void apply(NodeLink from, NodeItem.Route r) {
        if (routes.apply(r)) {
            if (r.present()) {
                node.addRemoteRoute(from, r.filter(), r.shareGroup());
            } else {
                node.removeRemoteRoute(from, r.filter(), r.shareGroup());
            }
        }
    }

    /** The link to {@code nodeId}; a node seen for the first time is sent this node's routes. */
    private NodeLink nodeSeen(String nodeId) {
        if (nodeId.equals(self)) {
            return null;
        }
        boolean[] added = new boolean[1];
        NodeLink link = links.computeIfAbsent(nodeId, id -> {
            added[0] = true;
            return new NodeLink(id, self, grid.getRingbuffer(GridInstances.INBOX_PREFIX + id), receipts, futures);
        });
        if (added[0]) {
            gone.remove(nodeId);
            LOG.info("MQTT-RA cluster: node " + nodeId + " joined; " + links.size() + " other node(s)");
            link.send(new NodeItem.Routes(self, routes.snapshot()));
        }
        return link;
    }

    private void nodeGone(String nodeId, String why) {
        NodeLink link = links.remove(nodeId);
        if (link == null) {
            return;
        }
        gone.add(nodeId);
        routes.gone(nodeId);
        loss.nodeGone(link);
        handovers.nodeGone(nodeId);
        LOG.info("MQTT-RA cluster: node " + nodeId + " " + why + "; " + links.size() + " other node(s)");
    }

    /** Puts (or renews) this node's entry; when it had expired (a long pause), the others get the routes again. */
    private void announceSelf() {
        try {
            // the grid member's id: NodeWatch drops this node at once when that member leaves
            String member = settings.isClient() ? "client" : grid.getCluster().getLocalMember().getUuid().toString();
            String was = nodes.put(self, member, NODE_TTL_SECONDS, TimeUnit.SECONDS);
            if (was == null && !links.isEmpty()) {
                links.values().forEach(l -> l.send(new NodeItem.Routes(self, routes.snapshot())));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "MQTT-RA cluster: cannot renew this node's entry in the grid", e);
        }
    }
}
