package io.mqttra.cluster;

import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.mqttra.broker.ClusterBus;
import io.mqttra.broker.SessionHandover;
import io.mqttra.broker.Subscription;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Persistent sessions in the grid, so that the survivors continue those of a node that died. Each node
 * keeps its own: in {@code mqttra.sessions} by client identifier, the node that has the session, its
 * expiry and subscriptions; in {@code mqttra.queued}, each QoS 1/2 message on its way to one of them,
 * under {@code <node>/<sequence>/<client id>}, from before its publisher is acknowledged until it is
 * delivered. A node that dies leaves both behind, and a survivor takes each session over with a
 * conditional replace of its entry: exactly one does, and it keeps the messages under its own keys.
 *
 * <p>Session entries are written by one thread of their own, in the order the broker asked, so that a
 * session that ends and starts again is not left behind in the wrong state.
 */
final class GridSessions {

    private static final Logger LOG = Logger.getLogger(GridSessions.class.getName());

    /** A session's messages, taken over from the node that died, with the grid keys they had there. */
    record Orphan(String clientId, String node, SessionHandover state, List<String> messageKeys) {
    }

    private final IMap<String, byte[]> sessions;
    private final IMap<String, byte[]> queued;
    private final String self;
    private final ExecutorService writer;
    private final LocalCopy local;
    private final GridFutures futures;
    private final AtomicLong sequence = new AtomicLong();

    GridSessions(IMap<String, byte[]> sessions, IMap<String, byte[]> queued, String self, ExecutorService writer, LocalCopy local,
                 GridFutures futures) {
        this.futures = futures;
        this.sessions = sessions;
        this.queued = queued;
        this.self = self;
        this.writer = writer;
        this.local = local;
    }

    /** The ids this node had in its previous runs, as the sessions on its disk name them: none of them runs now. */
    Set<String> previousNodes() {
        Set<String> previous = new HashSet<>();
        local.sessions().values().forEach(entry -> previous.add(HandoverCodec.nodeOf(entry)));
        return previous;
    }

    /**
     * At start, once this node is in {@code mqttra.nodes}: the sessions this node's disk kept from its
     * previous run are this node's again, in the grid, with their messages; the caller adopts them before
     * any client can connect. A session the grid has wins (the cluster went on without this node; or its
     * previous run's entry is still there, and is taken over with its messages as a dead node's is).
     *
     * <p>Two grid operations in all, not one per session: the restart of a node with 10,000 sessions
     * waited 6 s for them one by one. The price is that a session a client starts on another node in the
     * moment between the two is overwritten by this node's; nobody else writes a new session's entry.
     *
     * @return the restored sessions with their messages, under the disk's keys ({@link #forgetOnDisk})
     */
    List<Orphan> restore() {
        Map<String, byte[]> kept = local.sessions();
        if (kept.isEmpty()) {
            return List.of();
        }
        // a grid started afresh has none: reading 10,000 keys that are not there took a third of the time
        Map<String, byte[]> inGrid = sessions.isEmpty() ? Map.of() : sessions.getAll(kept.keySet());
        Map<String, byte[]> mine = new HashMap<>();
        Map<String, SessionHandover> states = new HashMap<>();
        for (Map.Entry<String, byte[]> e : kept.entrySet()) {
            if (inGrid.containsKey(e.getKey())) {
                local.sessionGone(e.getKey());
            } else {
                SessionHandover state = decode(e.getValue());
                states.put(e.getKey(), state);
                mine.put(e.getKey(), encode(self, state.expirySeconds(), state.subscriptions()));
            }
        }
        sessions.putAll(mine);
        Map<String, List<String>> keysByClient = new HashMap<>();
        Map<String, byte[]> messages = local.messages();
        for (String key : messages.keySet()) {
            String clientId = key.substring(key.indexOf('/', key.indexOf('/') + 1) + 1);
            if (states.containsKey(clientId)) {
                keysByClient.computeIfAbsent(clientId, c -> new ArrayList<>()).add(key);
            } else {
                local.messageGone(key);
            }
        }
        List<Orphan> restored = new ArrayList<>(states.size());
        for (Map.Entry<String, SessionHandover> s : states.entrySet()) {
            List<String> keys = keysByClient.getOrDefault(s.getKey(), new ArrayList<>());
            // in the order they were kept: by sequence within the run that kept them
            keys.sort(Comparator.comparing((String k) -> k.substring(0, k.indexOf('/')))
                    .thenComparingLong(k -> Long.parseLong(k.substring(k.indexOf('/') + 1, k.indexOf('/', k.indexOf('/') + 1)))));
            List<SessionHandover.QueuedMessage> queue = new ArrayList<>(keys.size());
            keys.forEach(k -> queue.add(decodeMessage(messages.get(k))));
            SessionHandover state = s.getValue();
            restored.add(new Orphan(s.getKey(), HandoverCodec.nodeOf(kept.get(s.getKey())),
                    new SessionHandover(state.expirySeconds(), state.subscriptions(), queue), keys));
        }
        return restored;
    }

    /** A restored session's messages are kept under this node's keys now: the disk's old ones go. */
    void forgetOnDisk(Orphan restored) {
        restored.messageKeys().forEach(local::messageGone);
    }

    /** The nodes that have sessions in the grid and are neither this one nor in {@code alive}: they died unseen. */
    Set<String> orphanedNodes(Set<String> alive) {
        Set<String> orphaned = new HashSet<>();
        for (byte[] entry : sessions.values()) {
            String node = HandoverCodec.nodeOf(entry);
            if (!node.equals(self) && !alive.contains(node)) {
                orphaned.add(node);
            }
        }
        return orphaned;
    }

    CompletableFuture<Void> kept(String clientId, long expirySeconds, Collection<Subscription> subscriptions) {
        byte[] entry = encode(self, expirySeconds, subscriptions);
        CompletableFuture<Void> done = new CompletableFuture<>();
        writer.execute(() -> {
            try {
                sessions.set(clientId, entry);
                local.session(clientId, entry).whenComplete((ok, failed) -> {
                    if (failed == null) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(failed);
                    }
                });
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "MQTT-RA cluster: client " + clientId + "'s session could not be kept in the grid", e);
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** Removes the session's entry unless another node has it now (it moved there meanwhile). */
    void dropped(String clientId) {
        writer.execute(() -> {
            try {
                local.sessionGone(clientId);
                byte[] entry = sessions.get(clientId);
                if (entry != null && self.equals(HandoverCodec.nodeOf(entry))) {
                    sessions.remove(clientId, entry);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "MQTT-RA cluster: removing client " + clientId + "'s session from the grid", e);
            }
        });
    }

    ClusterBus.KeptMessage keep(String clientId, SessionHandover.QueuedMessage message) {
        String key = self + '/' + sequence.incrementAndGet() + '/' + clientId;
        byte[] value = encodeMessage(message);
        // the dependents only pass the acknowledgement to the publisher's event loop
        CompletableFuture<Void> inGrid = futures.direct(queued.setAsync(key, value));
        CompletableFuture<Void> stored = local.isOn() ? CompletableFuture.allOf(inGrid, local.message(key, value)) : inGrid;
        return new Kept(key, value, stored, message.packetId());
    }

    /**
     * One message's entry. Its writes go one after the other, each once the one before is done: a later
     * write sent at once could overtake an earlier one, and a delete could leave the entry behind.
     */
    private final class Kept implements ClusterBus.KeptMessage {

        private final String key;
        private final byte[] value;
        private final CompletableFuture<Void> stored;
        /** The last write asked for: the next one follows it. */
        private CompletableFuture<Void> last;
        private int packetId;

        Kept(String key, byte[] value, CompletableFuture<Void> stored, int packetId) {
            this.key = key;
            this.value = value;
            this.stored = stored;
            this.last = stored;
            this.packetId = packetId;
        }

        @Override
        public CompletableFuture<Void> stored() {
            return stored;
        }

        @Override
        public synchronized CompletableFuture<Void> sent(int id) {
            packetId = id;
            return rewrite(HandoverCodec.withPacketState(value, id, false));
        }

        @Override
        public synchronized CompletableFuture<Void> released() {
            return rewrite(HandoverCodec.withPacketState(value, packetId, true));
        }

        @Override
        public synchronized void forget() {
            futures.after(last, () -> {
                queued.deleteAsync(key);
                local.messageGone(key);
            });
        }

        /** Completes on the callbacks' thread: what waits for it (a packet to the client) takes a monitor. */
        private CompletableFuture<Void> rewrite(byte[] entry) {
            CompletableFuture<Void> written = new CompletableFuture<>();
            futures.after(last, () -> {
                try {
                    CompletableFuture<Void> inGrid = futures.done(queued.setAsync(key, entry));
                    CompletableFuture<Void> both = local.isOn() ? CompletableFuture.allOf(inGrid, local.message(key, entry)) : inGrid;
                    both.whenComplete((ok, failed) -> {
                        if (failed == null) {
                            written.complete(null);
                        } else {
                            written.completeExceptionally(failed);
                        }
                    });
                } catch (RuntimeException e) {
                    written.completeExceptionally(e);
                }
            });
            last = written;
            return written;
        }
    }

    /**
     * On the cluster's thread: takes over every session of {@code node}, which died, that no other survivor
     * took first, with its messages.
     */
    List<Orphan> takeSessionsOf(String node) {
        Map<String, SessionHandover> won = new HashMap<>();
        for (Map.Entry<String, byte[]> e : sessions.entrySet()) {
            if (node.equals(HandoverCodec.nodeOf(e.getValue()))) {
                SessionHandover state = take(e.getKey(), e.getValue());
                if (state != null) {
                    won.put(e.getKey(), state);
                }
            }
        }
        return won.isEmpty() ? List.of() : withMessages(node, won);
    }

    /**
     * On the cluster's thread: takes over {@code clientId}'s session if the node that has it is not
     * {@code self} and not among {@code alive}; null when there is none, or another node has it.
     */
    Orphan takeSession(String clientId, Set<String> alive) {
        byte[] entry = sessions.get(clientId);
        if (entry == null) {
            return null;
        }
        String owner = HandoverCodec.nodeOf(entry);
        if (owner.equals(self) || alive.contains(owner)) {
            return null;
        }
        SessionHandover state = take(clientId, entry);
        if (state == null) {
            return null;
        }
        List<Orphan> orphans = withMessages(owner, Map.of(clientId, state));
        return orphans.get(0);
    }

    /** The node that has {@code clientId}'s session in the grid, or null; completes on the callbacks' thread. */
    CompletableFuture<String> ownerOfAsync(String clientId) {
        return futures.plain(sessions.getAsync(clientId)).thenApply(entry -> entry == null ? null : HandoverCodec.nodeOf(entry));
    }

    /** The node that has {@code clientId}'s session in the grid, or null. */
    String ownerOf(String clientId) {
        byte[] entry = sessions.get(clientId);
        return entry == null ? null : HandoverCodec.nodeOf(entry);
    }

    /** The messages the orphans had, under their old keys, are kept under this node's now: the old keys go. */
    void forgetOld(Orphan orphan) {
        for (String key : orphan.messageKeys()) {
            queued.deleteAsync(key);
            local.messageGone(key);
        }
    }

    /** Replaces the entry with one naming this node; null when another node replaced it first. */
    private SessionHandover take(String clientId, byte[] entry) {
        SessionHandover state = decode(entry);
        byte[] mine = encode(self, state.expirySeconds(), state.subscriptions());
        return sessions.replace(clientId, entry, mine) ? state : null;
    }

    private List<Orphan> withMessages(String node, Map<String, SessionHandover> won) {
        Map<String, List<Map.Entry<Long, String>>> keysByClient = new HashMap<>();
        // node ids are UUIDs: nothing in them that LIKE would read as a wildcard
        for (String key : queued.keySet(Predicates.like("__key", node + "/%"))) {
            int second = key.indexOf('/', node.length() + 1);
            String clientId = key.substring(second + 1);
            if (won.containsKey(clientId)) {
                long seq = Long.parseLong(key.substring(node.length() + 1, second));
                keysByClient.computeIfAbsent(clientId, c -> new ArrayList<>()).add(Map.entry(seq, key));
            }
        }
        List<String> all = new ArrayList<>();
        keysByClient.values().forEach(l -> l.forEach(e -> all.add(e.getValue())));
        Map<String, byte[]> values = all.isEmpty() ? Map.of() : queued.getAll(Set.copyOf(all));
        List<Orphan> orphans = new ArrayList<>(won.size());
        for (Map.Entry<String, SessionHandover> w : won.entrySet()) {
            List<Map.Entry<Long, String>> keys = keysByClient.getOrDefault(w.getKey(), new ArrayList<>());
            keys.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
            List<SessionHandover.QueuedMessage> messages = new ArrayList<>(keys.size());
            List<String> messageKeys = new ArrayList<>(keys.size());
            for (Map.Entry<Long, String> k : keys) {
                byte[] value = values.get(k.getValue());
                if (value != null) {
                    messages.add(decodeMessage(value));
                    messageKeys.add(k.getValue());
                }
            }
            SessionHandover state = w.getValue();
            orphans.add(new Orphan(w.getKey(), node, new SessionHandover(state.expirySeconds(), state.subscriptions(), messages), messageKeys));
        }
        return orphans;
    }

    private static byte[] encode(String node, long expirySeconds, Collection<Subscription> subscriptions) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(node);
            out.writeLong(expirySeconds);
            HandoverCodec.writeSubscriptions(out, subscriptions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static SessionHandover decode(byte[] entry) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry))) {
            in.readUTF();
            long expiry = in.readLong();
            return new SessionHandover(expiry, HandoverCodec.readSubscriptions(in), List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] encodeMessage(SessionHandover.QueuedMessage m) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(m.message().payload().length + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            HandoverCodec.writeMessage(out, m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static SessionHandover.QueuedMessage decodeMessage(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            return HandoverCodec.readMessage(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
