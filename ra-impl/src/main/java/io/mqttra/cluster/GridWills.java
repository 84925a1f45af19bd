package io.mqttra.cluster;

import com.hazelcast.map.IMap;
import io.mqttra.broker.ClusterBus;
import io.mqttra.broker.PublishedMessage;
import io.mqttra.store.StoredMessageCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The wills of connected clients, in the grid map {@code mqttra.wills} by client identifier, each with
 * the node and connection that carry it. The node publishes or discards its own clients' wills; when a
 * node dies, each survivor tries to remove that node's entries, and only the one whose conditional
 * remove succeeds publishes the will: once in the cluster.
 */
final class GridWills {

    private static final Logger LOG = Logger.getLogger(GridWills.class.getName());

    private final IMap<String, byte[]> wills;
    private final String self;
    private final Executor executor;
    /** What this node put, by connection, so that it removes exactly its own entry. */
    private final ConcurrentHashMap<String, byte[]> kept = new ConcurrentHashMap<>();

    GridWills(IMap<String, byte[]> wills, String self, Executor executor) {
        this.wills = wills;
        this.self = self;
        this.executor = executor;
    }

    void kept(String clientId, String connectionId, PublishedMessage will) {
        byte[] entry = encode(self, connectionId, will);
        kept.put(connectionId, entry);
        wills.setAsync(clientId, entry);
    }

    void done(String clientId, String connectionId) {
        byte[] entry = kept.remove(connectionId);
        if (entry != null) {
            executor.execute(() -> {
                try {
                    wills.remove(clientId, entry);
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "MQTT-RA cluster: removing client " + clientId + "'s will from the grid", e);
                }
            });
        }
    }

    /** On the cluster's thread: the wills {@code node} carried, that no other survivor took first. */
    void publishWillsOf(String node, ClusterBus.Node broker) {
        try {
            for (Map.Entry<String, byte[]> e : wills.entrySet()) {
                if (node.equals(HandoverCodec.nodeOf(e.getValue())) && wills.remove(e.getKey(), e.getValue())) {
                    broker.publishOrphanedWill(willOf(e.getValue()));
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "MQTT-RA cluster: the wills of clients of node " + node + " could not all be published", e);
        }
    }

    /**
     * This node stops: it does not publish its clients' wills (a server shutting down is no client's
     * failure), and neither may the survivors.
     */
    void forgetOwn() {
        kept.clear();
        for (Map.Entry<String, byte[]> e : wills.entrySet()) {
            if (self.equals(HandoverCodec.nodeOf(e.getValue()))) {
                wills.remove(e.getKey(), e.getValue());
            }
        }
    }

    private static byte[] encode(String node, String connectionId, PublishedMessage will) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(node);
            out.writeUTF(connectionId);
            out.write(StoredMessageCodec.encodeMessage(will));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static PublishedMessage willOf(byte[] entry) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry))) {
            in.readUTF();
            in.readUTF();
            return StoredMessageCodec.decodeMessage(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
