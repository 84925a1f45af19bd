package io.mqttra.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Tells the cluster, on its thread, when a node appears in {@code mqttra.nodes} and when it goes: it left,
 * its entry expired (a node on an external grid whose JVM died), or, with embedded members, its grid
 * member dropped out, which is noticed at once rather than after the entry's time to live.
 */
final class NodeWatch implements EntryAddedListener<String, String>, EntryRemovedListener<String, String>,
        EntryExpiredListener<String, String>, EntryEvictedListener<String, String> {

    private static final Logger LOG = Logger.getLogger(NodeWatch.class.getName());

    private final IMap<String, String> nodes;
    private final Executor executor;
    private final Consumer<String> seen;
    private final BiConsumer<String, String> gone;

    NodeWatch(IMap<String, String> nodes, Executor executor, Consumer<String> seen, BiConsumer<String, String> gone) {
        this.nodes = nodes;
        this.executor = executor;
        this.seen = seen;
        this.gone = gone;
    }

    @Override
    public void entryAdded(EntryEvent<String, String> event) {
        executor.execute(() -> seen.accept(event.getKey()));
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
        executor.execute(() -> gone.accept(event.getKey(), "left"));
    }

    @Override
    public void entryExpired(EntryEvent<String, String> event) {
        executor.execute(() -> gone.accept(event.getKey(),
                "stopped answering (no renewal for " + HazelcastCluster.NODE_TTL_SECONDS + " s)"));
    }

    @Override
    public void entryEvicted(EntryEvent<String, String> event) {
        entryExpired(event);
    }

    MembershipListener memberListener() {
        return new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                LOG.info("MQTT-RA cluster: grid member " + event.getMember().getAddress() + " joined; members " + event.getMembers());
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                String uuid = event.getMember().getUuid().toString();
                LOG.info("MQTT-RA cluster: grid member " + event.getMember().getAddress() + " left; members " + event.getMembers());
                executor.execute(() -> {
                    for (var e : nodes.entrySet()) {
                        if (uuid.equals(e.getValue())) {
                            gone.accept(e.getKey(), "left with its grid member");
                            nodes.remove(e.getKey(), e.getValue());
                        }
                    }
                });
            }
        };
    }
}
