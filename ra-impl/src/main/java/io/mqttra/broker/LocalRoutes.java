package io.mqttra.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many local subscribers each filter (and share group) has, so that the cluster hears of a route
 * when its first subscriber comes and its last goes, not of every subscription. A key's count changes
 * inside {@code compute}, so its announcements leave in the order the counts changed.
 */
final class LocalRoutes {

    static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private record Route(Subscription key, int subscribers, CompletableFuture<Void> announced) {
    }

    private final ConcurrentHashMap<String, Route> routes = new ConcurrentHashMap<>();
    private final ClusterBus cluster;

    LocalRoutes(ClusterBus cluster) {
        this.cluster = cluster;
    }

    void added(Subscription s) {
        routes.compute(s.key(), (k, r) -> r == null
                ? new Route(routeKey(s), 1, cluster.routeAdded(s.filter(), s.shareGroup()))
                : new Route(r.key(), r.subscribers() + 1, r.announced()));
    }

    void removed(Subscription s) {
        routes.computeIfPresent(s.key(), (k, r) -> {
            if (r.subscribers() > 1) {
                return new Route(r.key(), r.subscribers() - 1, r.announced());
            }
            cluster.routeRemoved(s.filter(), s.shareGroup());
            return null;
        });
    }

    CompletableFuture<Void> announced(Subscription s) {
        Route r = routes.get(s.key());
        return r == null ? DONE : r.announced();
    }

    List<Subscription> snapshot() {
        List<Subscription> keys = new ArrayList<>(routes.size());
        routes.values().forEach(r -> keys.add(r.key()));
        return keys;
    }

    /** What another node subscribes to stand for this node's subscribers of {@code s}. */
    static Subscription routeKey(Subscription s) {
        return new Subscription(s.filter(), s.shareGroup(), 2, false, true, Subscription.SEND_RETAINED, 0);
    }
}
