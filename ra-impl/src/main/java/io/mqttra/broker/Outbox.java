package io.mqttra.broker;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttProperties;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The messages on their way to one MQTT client, where the router delivers its session's messages: the
 * QoS 1/2 messages sent and not yet acknowledged (at most the in-flight limit, each under a packet
 * identifier), those waiting to be sent (bounded, with the configured overflow), and the writes to the
 * connection its {@link ClientSession} is attached to, to which it replays what is unfinished.
 *
 * <p>State is guarded by the outbox's monitor: acknowledgements arrive on the client's own I/O thread,
 * and connections come and go. Messages arrive from publishers' I/O threads, but they do not take the
 * monitor there: they go into an inbox that the client's event loop drains, in arrival order, one task
 * per burst. Publishers' threads that took the monitor would all wait, for as long as a scheduling
 * quantum, whenever its holder is descheduled on a busy machine. While the client is offline there is
 * no event loop, and the publisher's thread drains the inbox itself. The {@link Inbox} is bounded as what
 * it feeds is. Every packet to the client is written as a task on the channel's event loop, queued
 * while the monitor is held, so the wire order is the order decided here.
 */
final class Outbox implements PersistentSubscriber {

    private static final Logger LOG = Logger.getLogger(Outbox.class.getName());

    private final String clientId;
    private final int maxInflight;
    private final int maxQueued;
    private final boolean queueQos0Offline;
    private final BrokerConfig.QueueOverflow overflow;
    private final BrokerStats stats;

    private final LinkedHashMap<Integer, PendingDelivery> inflight = new LinkedHashMap<>();
    private final ArrayDeque<PendingDelivery> queued = new ArrayDeque<>();
    /** Written under the monitor; read without it by {@link #deliver} to find the event loop to hand over to. */
    private volatile Channel channel;
    /** Deliveries not yet taken in, in arrival order (see the class comment). */
    private final Inbox inbox;
    /** Volatile for {@link #isAvailable}, like {@link #inflightCount}; replaced under the monitor. */
    private volatile PublishPackets packets = new PublishPackets(ConnectionLimits.unlimited(1));
    /**
     * {@code inflight.size()}, written under the monitor after each change, for {@link #isAvailable}: a
     * shared group asks every member that on the publisher's I/O thread, which must not wait for the
     * monitor while this client's own thread holds it for a burst.
     */
    private volatile int inflightCount;
    private int lastPacketId;
    /** QoS 0 packets handed to the event loop and not yet in the channel's outbound buffer. */
    private final ClientBuffer qos0Buffer;
    /**
     * Writes queued on the current connection's event loop and not run yet; the write that brings it to
     * zero flushes, so a burst shares one flush (one system call) instead of one per packet. A new
     * counter for every connection.
     */
    private AtomicInteger queuedWrites = new AtomicInteger();
    private boolean ended;
    /**
     * Grid writes that the packets to the client wait for (a QoS 2 message's packet identifier, its
     * PUBREC), so that a node continuing the session after this one died knows what the client holds;
     * null when nothing is pending. Packets written meanwhile wait in {@link #heldWrites}, in order.
     */
    private CompletableFuture<Void> gate;
    /**
     * How many of each message the session had when it continued here ({@link #resume}): a copy of one of
     * them, sent by a survivor that held it for the node that died ({@link #deliverCopy}), is not taken
     * again. Null when there were none.
     */
    private Map<Fingerprint, Integer> resumed;
    /** Where the session went when it moved to another node of the cluster; null while it is here. */
    private volatile RemoteNode movedTo;
    private final ArrayDeque<Runnable> heldWrites = new ArrayDeque<>();
    /**
     * The cluster that keeps this session's QoS 1/2 messages until they are delivered, so that another
     * node continues the session should this one die; null when the session is not persistent, or the
     * broker is alone.
     */
    private volatile ClusterBus keeper;

    Outbox(String clientId, BrokerConfig config, BrokerStats stats) {
        this.clientId = clientId;
        this.maxInflight = config.maxInflightPerClient();
        this.maxQueued = config.maxQueuedPerClient();
        this.queueQos0Offline = config.queueQos0WhileOffline();
        this.overflow = config.queueOverflow();
        this.stats = stats;
        this.qos0Buffer = new ClientBuffer(config.maxClientBufferBytes());
        this.inbox = new Inbox(config, qos0Buffer, this::drop);
    }

    @Override
    public String subscriberId() {
        return clientId;
    }

    @Override
    public boolean isAvailable() {
        return channel != null && inflightCount < inflightLimit();
    }

    /** A volatile read, without the monitor: the connection checks it for every packet it receives. */
    Channel channel() {
        return channel;
    }

    /**
     * Binds the outbox to a new connection and replays what the previous connection left unfinished:
     * unacknowledged PUBLISH packets with DUP set and PUBREL for released QoS 2 messages
     * [MQTT-4.4.0-1], then the queued messages. Topic aliases start afresh [MQTT-3.3.2-7].
     */
    synchronized void attach(Channel newChannel, ConnectionLimits limits) {
        channel = newChannel;
        packets = new PublishPackets(limits);
        queuedWrites = new AtomicInteger();
        for (PendingDelivery o : inflight.values()) {
            send(o.released ? Packets.pubRel(o.packetId, (byte) 0)
                    : packets.publish(o.message, o.delivery, o.packetId, true, packets.properties(o.message, o.delivery)));
        }
        drainQueue();
    }

    /**
     * Takes the messages of a session that continues here after another node had it: those the client
     * holds under a packet identifier keep it, and go out again as DUP PUBLISH (or PUBREL when released),
     * so that the client does not take a QoS 2 message twice [MQTT-4.3.3-10] nor meet an identifier it
     * still holds on a new message; then the others, as new deliveries.
     */
    void resume(List<SessionHandover.QueuedMessage> messages) {
        List<SessionHandover.QueuedMessage> fresh = new ArrayList<>(messages.size());
        synchronized (this) {
            ClusterBus cluster = keeper;
            for (SessionHandover.QueuedMessage m : messages) {
                if (resumed == null) {
                    resumed = new HashMap<>();
                }
                resumed.merge(Fingerprint.of(m.message()), 1, Integer::sum);
                if (m.packetId() == 0 || inflight.containsKey(m.packetId())) {
                    fresh.add(m);
                    continue;
                }
                PendingDelivery o = new PendingDelivery(m.message(), m.delivery());
                o.packetId = m.packetId();
                o.released = m.released();
                if (cluster != null && m.delivery().qos() > 0) {
                    o.kept = cluster.keepMessage(clientId, m);
                }
                inflight.put(o.packetId, o);
                lastPacketId = o.packetId;
                if (channel != null) {
                    send(o.released ? Packets.pubRel(o.packetId, (byte) 0)
                            : packets.publish(o.message, o.delivery, o.packetId, true, packets.properties(o.message, o.delivery)));
                }
            }
            inflightCount = inflight.size();
        }
        fresh.forEach(m -> deliver(m.message(), m.delivery()));
    }

    @Override
    public CompletableFuture<Void> deliverCopy(PublishedMessage message, Delivery delivery) {
        synchronized (this) {
            Fingerprint f = Fingerprint.of(message);
            Integer had = resumed == null ? null : resumed.get(f);
            if (had != null) {
                if (had == 1) {
                    resumed.remove(f);
                } else {
                    resumed.put(f, had - 1);
                }
                return null; // it has it, kept in the grid under this node's keys since it resumed here
            }
        }
        return deliverPersistently(message, delivery);
    }

    /**
     * A message as its publisher's node received it: two with the same fingerprint are copies of one. The
     * payload's hash, not the payload: the fingerprints stay as long as the session.
     */
    private record Fingerprint(String topic, String publisher, long timestamp, int length, int payloadHash) {

        static Fingerprint of(PublishedMessage m) {
            return new Fingerprint(m.topic(), m.publisherClientId(), m.timestamp(), m.payload().length, Arrays.hashCode(m.payload()));
        }
    }

    /** Unbinds the outbox from {@code closed}; returns false when another connection already owns it. */
    synchronized boolean detach(Channel closed) {
        if (channel != closed) {
            return false;
        }
        channel = null;
        return true;
    }

    /** From now on QoS 1/2 messages are kept in {@code cluster} until delivered (null: no longer). */
    void keepIn(ClusterBus cluster) {
        keeper = cluster;
    }

    /**
     * Takes a message for this client from any thread: into the inbox, and a drain on the client's
     * event loop if none is due. A QoS 1/2 message of a session kept in the grid goes there as well, and
     * the answer completes once the grid holds it.
     */
    @Override
    public CompletableFuture<Void> deliverPersistently(PublishedMessage message, Delivery delivery) {
        RemoteNode moved = movedTo;
        if (moved != null && delivery.qos() > 0) {
            return moved.forwardToMoved(clientId, message);
        }
        PendingDelivery o = new PendingDelivery(message, delivery);
        ClusterBus cluster = keeper;
        if (cluster != null && delivery.qos() > 0) {
            o.kept = cluster.keepMessage(clientId, new SessionHandover.QueuedMessage(message, delivery));
        }
        CompletableFuture<Void> stored = o.kept == null ? null : o.kept.stored();
        if (inbox.offer(o, channel)) {
            Channel ch = channel;
            if (ch == null || ch.eventLoop().inEventLoop()) {
                drainInbox();
            } else {
                try {
                    ch.eventLoop().execute(this::drainInbox);
                } catch (RejectedExecutionException stopping) {
                    drainInbox(); // the broker's event loops are shutting down: take it here
                }
            }
        }
        return stored;
    }

    private synchronized void drainInbox() {
        inbox.draining();
        PendingDelivery o;
        while ((o = inbox.poll()) != null) {
            try {
                take(o);
            } catch (RuntimeException e) {
                // one message that cannot be sent must not strand the ones queued behind it
                qos0Buffer.release(o);
                LOG.log(Level.WARNING, "Could not deliver " + o.message + " to client " + clientId, e);
                drop(o, e.toString());
            }
        }
    }

    /** Sends, queues or drops one message; under the monitor, usually on the client's event loop. */
    private void take(PendingDelivery o) {
        if (ended) {
            qos0Buffer.release(o);
            RemoteNode moved = movedTo;
            if (moved != null && o.delivery.qos() > 0) {
                // its publisher's thread matched the session before it moved, and may have been acknowledged
                // already: the grid's copy here stays until the node it moved to holds it
                moved.forwardToMoved(clientId, o.message).whenComplete((ok, failed) -> o.settled());
            } else {
                o.settled();
            }
            return;
        }
        if (o.delivery.qos() == 0) {
            // QoS 0 is dropped rather than buffered without bound when the client does not read fast enough;
            // one that reserved its room on arrival has it
            if (channel != null) {
                if (o.reservedBytes > 0 || qos0Buffer.hasRoom(channel)) {
                    sendQos0(o);
                } else {
                    drop(o, "client not reading");
                }
                return;
            }
            qos0Buffer.release(o); // the client went offline since it arrived
            if (queueQos0Offline) {
                enqueue(o);
            } else {
                drop(o, "client offline");
            }
            return;
        }
        if (channel != null && inflight.size() < inflightLimit() && queued.isEmpty()) {
            sendNew(o);
        } else {
            enqueue(o);
        }
    }

    private void enqueue(PendingDelivery o) {
        if (queued.size() < maxQueued) {
            queued.add(o);
        } else if (overflow == BrokerConfig.QueueOverflow.DROP_OLDEST && maxQueued > 0) {
            drop(queued.poll(), "queue full (" + maxQueued + " messages), oldest dropped");
            queued.add(o);
        } else {
            drop(o, "queue full (" + maxQueued + " messages)");
        }
    }

    private void sendQos0(PendingDelivery o) {
        MqttProperties props = packets.properties(o.message, o.delivery);
        if (!fits(o, props)) {
            qos0Buffer.release(o);
            return;
        }
        qos0Buffer.reserve(o); // reserved on arrival, or now for one queued while the client was offline
        long bytes = o.reservedBytes;
        o.reservedBytes = 0;
        stats.messagesSent.increment();
        // until written, counted in the buffer; afterwards the channel's pending bytes count
        write(packets.publish(o.message, o.delivery, 0, false, props), bytes);
    }

    /** PUBACK from the client completes a QoS 1 delivery [MQTT-4.3.2-1]. */
    synchronized void onPubAck(int packetId) {
        PendingDelivery o = inflight.get(packetId);
        if (o != null && o.delivery.qos() == 1) {
            o.settled();
            inflight.remove(packetId);
            inflightCount = inflight.size();
            drainQueue();
        }
    }

    /**
     * PUBREC: the client has the QoS 2 message; answer PUBREL and remember that we did [MQTT-4.3.3-1].
     * An unknown packet identifier gets PUBREL with reason 0x92 (MQTT 5).
     */
    synchronized void onPubRec(int packetId, boolean failed) {
        PendingDelivery o = inflight.get(packetId);
        if (o != null && failed) {
            // MQTT 5: a PUBREC reason code >= 0x80 ends the flow; the identifier is free again [MQTT-4.3.3-4]
            o.settled();
            inflight.remove(packetId);
            inflightCount = inflight.size();
            drainQueue();
            return;
        }
        if (o != null && o.delivery.qos() == 2 && !o.released) {
            o.released = true;
            // the client has it: what is left is PUBREL, which the grid's entry says from now on
            hold(o.kept == null ? null : o.kept.released());
        }
        send(Packets.pubRel(packetId, o != null ? (byte) 0 : Packets.PACKET_ID_NOT_FOUND));
    }

    /** PUBCOMP completes a QoS 2 delivery; the packet identifier becomes free. */
    synchronized void onPubComp(int packetId) {
        PendingDelivery o = inflight.get(packetId);
        if (o != null && o.released) {
            o.settled();
            inflight.remove(packetId);
            inflightCount = inflight.size();
            drainQueue();
        }
    }

    private int inflightLimit() {
        return Math.min(maxInflight, packets.receiveMaximum());
    }

    private void drainQueue() {
        while (channel != null && !queued.isEmpty()) {
            PendingDelivery next = queued.peek();
            if (next.delivery.qos() > 0 && inflight.size() >= inflightLimit()) {
                return;
            }
            queued.poll();
            long now = System.currentTimeMillis();
            if (next.message.isExpired(now)) {
                drop(next, "expired while queued");
            } else if (next.delivery.qos() == 0) {
                sendQos0(next);
            } else {
                sendNew(next);
            }
        }
    }

    private void sendNew(PendingDelivery o) {
        MqttProperties props = packets.properties(o.message, o.delivery);
        if (!fits(o, props)) {
            return; // as if completed [MQTT-3.1.2-25]
        }
        o.packetId = nextPacketId();
        inflight.put(o.packetId, o);
        inflightCount = inflight.size();
        stats.messagesSent.increment();
        if (o.kept != null && o.delivery.qos() == 2) {
            hold(o.kept.sent(o.packetId));
        }
        send(packets.publish(o.message, o.delivery, o.packetId, false, props));
    }

    /** Whether the packet is within the client's Maximum Packet Size; drops it for this client when not. */
    private boolean fits(PendingDelivery o, MqttProperties props) {
        String oversize = packets.oversize(o.message, o.delivery.qos(), props);
        if (oversize != null) {
            drop(o, oversize);
            return false;
        }
        return true;
    }

    /** The next packet identifier not used by an unacknowledged message [MQTT-2.3.1-2]. */
    private int nextPacketId() {
        do {
            lastPacketId = lastPacketId == 65_535 ? 1 : lastPacketId + 1;
        } while (inflight.containsKey(lastPacketId));
        return lastPacketId;
    }

    private void send(Object packet) {
        write(packet, 0);
    }

    /** Queues a write on the connection's event loop; the last of a burst flushes. Called holding the monitor. */
    private void write(Object packet, long qos0Bytes) {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        if (gate != null) {
            heldWrites.add(() -> {
                if (channel == ch) {
                    writeNow(ch, packet, qos0Bytes);
                } else {
                    qos0Buffer.written(qos0Bytes); // its connection is gone; a new one gets the session's replay
                }
            });
            return;
        }
        writeNow(ch, packet, qos0Bytes);
    }

    /** Packets to the client wait for {@code recorded} (null: nothing to wait for), and for what they waited for already. */
    private void hold(CompletableFuture<Void> recorded) {
        if (recorded == null || (recorded.isDone() && gate == null)) {
            return;
        }
        CompletableFuture<Void> g = gate == null ? recorded : CompletableFuture.allOf(gate, recorded);
        gate = g;
        g.whenComplete((ok, failed) -> opened(g, failed));
    }

    private synchronized void opened(CompletableFuture<Void> g, Throwable failed) {
        if (failed != null) {
            // sent anyway: only a node continuing the session after this one died could deliver it twice
            LOG.log(Level.WARNING, "MQTT-RA cluster: could not record a QoS 2 message's packet state for client " + clientId, failed);
        }
        if (gate != g) {
            return; // a later write holds them still
        }
        gate = null;
        Runnable r;
        while ((r = heldWrites.poll()) != null) {
            r.run();
        }
    }

    private void writeNow(Channel ch, Object packet, long qos0Bytes) {
        AtomicInteger pending = queuedWrites;
        pending.incrementAndGet();
        ch.eventLoop().execute(() -> {
            ch.write(packet, ch.voidPromise());
            qos0Buffer.written(qos0Bytes);
            if (pending.decrementAndGet() == 0) {
                ch.flush();
            }
        });
    }

    private void drop(PendingDelivery o, String why) {
        o.settled();
        PublishedMessage message = o.message;
        stats.messagesDropped.increment();
        if (LOG.isLoggable(Level.FINE)) {
            LOG.fine("Dropped " + message + " for client " + clientId + ": " + why);
        }
    }

    /**
     * Ends the outbox, returning what it had not delivered: messages sent and not completed, with their
     * packet identifiers (released QoS 2 ones too: the client holds their identifiers until PUBREL), then
     * the queued ones. The session moves to another node of the cluster, which {@link #resume}s them.
     */
    synchronized List<SessionHandover.QueuedMessage> handOver(RemoteNode movesTo) {
        movedTo = movesTo;
        drainInbox();
        List<SessionHandover.QueuedMessage> left = new ArrayList<>(inflight.size() + queued.size());
        for (PendingDelivery o : inflight.values()) {
            left.add(new SessionHandover.QueuedMessage(o.message, o.delivery, o.packetId, o.released));
        }
        for (PendingDelivery o : queued) {
            left.add(new SessionHandover.QueuedMessage(o.message, o.delivery));
        }
        end();
        return left;
    }

    /** The session is over: nothing more is taken, and what waits or is in flight is forgotten. */
    synchronized void end() {
        ended = true;
        inflight.values().forEach(PendingDelivery::settled);
        queued.forEach(PendingDelivery::settled);
        queued.clear();
        inflight.clear();
        inflightCount = 0;
    }

    synchronized boolean isEnded() {
        return ended;
    }

    /** QoS 1/2 messages sent and not acknowledged (administrators' view). */
    int inflightMessages() {
        return inflightCount;
    }

    /** Messages waiting to be sent (administrators' view). */
    synchronized int queuedMessages() {
        return queued.size();
    }
}
