package io.mqttra.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The route changes this node announces, with the versions that order them, and the ones it has applied
 * from other nodes. An announcement of a new route completes when every node it went to has applied it.
 */
final class RouteTable {

    private record PendingAck(Set<String> nodes, CompletableFuture<Void> done) {
    }

    private final String self;
    /** One counter for all of this node's routes: a later change of a route always has a higher version. */
    private final AtomicLong versions = new AtomicLong();
    private final AtomicLong ackIds = new AtomicLong();
    private final ConcurrentHashMap<String, NodeItem.Route> local = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, PendingAck> pending = new ConcurrentHashMap<>();
    /** Per other node and route key, the version applied last. */
    private final ConcurrentHashMap<String, Long> applied = new ConcurrentHashMap<>();

    RouteTable(String self) {
        this.self = self;
    }

    /**
     * A change of one of this node's routes, to send to {@code nodes}; a route added asks them for an
     * acknowledgement, and {@code done} completes once they all answered or left.
     */
    NodeItem.Route change(String filter, String shareGroup, boolean present, Collection<String> nodes,
                          CompletableFuture<Void> done) {
        long ackId = 0;
        if (present && !nodes.isEmpty()) {
            ackId = ackIds.incrementAndGet();
            Set<String> waitingFor = ConcurrentHashMap.newKeySet();
            waitingFor.addAll(nodes);
            pending.put(ackId, new PendingAck(waitingFor, done));
        } else {
            done.complete(null);
        }
        NodeItem.Route route = new NodeItem.Route(self, filter, shareGroup, present, versions.incrementAndGet(), ackId);
        if (present) {
            local.put(key(filter, shareGroup), route);
        } else {
            local.remove(key(filter, shareGroup));
        }
        return route;
    }

    /** This node's routes, without acknowledgements asked. */
    List<NodeItem.Route> snapshot() {
        List<NodeItem.Route> routes = new ArrayList<>(local.size());
        local.values().forEach(r -> routes.add(new NodeItem.Route(self, r.filter(), r.shareGroup(), true, r.version(), 0)));
        return routes;
    }

    /** Whether {@code route} from another node is newer than what was applied of it (and is now). */
    boolean apply(NodeItem.Route route) {
        String key = route.sender() + "\u0000" + key(route.filter(), route.shareGroup());
        boolean[] newer = new boolean[1];
        applied.compute(key, (k, v) -> {
            newer[0] = v == null || route.version() > v;
            return newer[0] ? route.version() : v;
        });
        return newer[0];
    }

    void acked(String node, long ackId) {
        PendingAck p = pending.get(ackId);
        if (p != null) {
            p.nodes().remove(node);
            complete(ackId, p);
        }
    }

    /** A node left: nobody waits for it any more, and a node of the same id would start afresh. */
    void gone(String node) {
        pending.forEach((id, p) -> {
            p.nodes().remove(node);
            complete(id, p);
        });
        applied.keySet().removeIf(k -> k.startsWith(node + "\u0000"));
    }

    private void complete(long ackId, PendingAck p) {
        if (p.nodes().isEmpty() && pending.remove(ackId, p)) {
            p.done().complete(null);
        }
    }

    private static String key(String filter, String shareGroup) {
        return shareGroup == null ? filter : "$share/" + shareGroup + "/" + filter;
    }
}
