package io.mqttra.broker;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.mqtt.MqttProperties;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * no event loop, and the publisher's thread drains the inbox itself. Every packet to the client is
 * written as a task on the channel's event loop, queued while the monitor is held, so the wire order
 * is the order decided here.
 */
final class Outbox implements Subscriber {

    private static final Logger LOG = Logger.getLogger(Outbox.class.getName());

    /** A message for the client: in the inbox, queued, or sent at QoS 1/2 and not yet completed. */
    private static final class Outbound {
        final PublishedMessage message;
        final Delivery delivery;
        int packetId;
        boolean released; // QoS 2: PUBREC received and PUBREL sent

        Outbound(PublishedMessage message, Delivery delivery) {
            this.message = message;
            this.delivery = delivery;
        }
    }

    private final String clientId;
    private final int maxInflight;
    private final int maxQueued;
    private final boolean queueQos0Offline;
    private final BrokerConfig.QueueOverflow overflow;
    private final BrokerStats stats;

    private final LinkedHashMap<Integer, Outbound> inflight = new LinkedHashMap<>();
    private final ArrayDeque<Outbound> queued = new ArrayDeque<>();
    /** Written under the monitor; read without it by {@link #deliver} to find the event loop to hand over to. */
    private volatile Channel channel;
    /** Deliveries not yet taken in, in arrival order (see the class comment). */
    private final Queue<Outbound> inbox = new ConcurrentLinkedQueue<>();
    /** A drain of the inbox is due: set by the delivery that finds it clear, cleared by the drain before it polls. */
    private final AtomicBoolean drainDue = new AtomicBoolean();
    /** Volatile for {@link #isAvailable}, like {@link #inflightCount}; replaced under the monitor. */
    private volatile PublishPackets packets = new PublishPackets(ConnectionLimits.unlimited(1));
    /**
     * {@code inflight.size()}, written under the monitor after each change, for {@link #isAvailable}: a
     * shared group asks every member that on the publisher's I/O thread, which must not wait for the
     * monitor while this client's own thread holds it for a burst.
     */
    private volatile int inflightCount;
    private int lastPacketId;
    /**
     * Bytes of QoS 0 packets handed to the event loop and not yet in the channel's outbound buffer.
     * Together with what waits in that buffer it is bounded by {@code maxClientBufferBytes}, so a burst
     * to a client that reads a little slower is absorbed while a client that stops reading costs at most
     * that much. Atomic rather than under the monitor, as the event loop updates it on every write.
     */
    private final AtomicLong unwrittenQos0Bytes = new AtomicLong();
    private final long maxUnwrittenQos0Bytes;
    /**
     * Writes queued on the current connection's event loop and not run yet; the write that brings it to
     * zero flushes, so a burst shares one flush (one system call) instead of one per packet. A new
     * counter for every connection.
     */
    private AtomicInteger queuedWrites = new AtomicInteger();
    private boolean ended;

    Outbox(String clientId, BrokerConfig config, BrokerStats stats) {
        this.clientId = clientId;
        this.maxInflight = config.maxInflightPerClient();
        this.maxQueued = config.maxQueuedPerClient();
        this.queueQos0Offline = config.queueQos0WhileOffline();
        this.overflow = config.queueOverflow();
        this.maxUnwrittenQos0Bytes = config.maxClientBufferBytes();
        this.stats = stats;
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
        for (Outbound o : inflight.values()) {
            send(o.released ? Packets.pubRel(o.packetId, (byte) 0)
                    : packets.publish(o.message, o.delivery, o.packetId, true, packets.properties(o.message, o.delivery)));
        }
        drainQueue();
    }

    /** Unbinds the outbox from {@code closed}; returns false when another connection already owns it. */
    synchronized boolean detach(Channel closed) {
        if (channel != closed) {
            return false;
        }
        channel = null;
        return true;
    }

    /**
     * Takes a message for this client from any thread: into the inbox, and a drain on the client's
     * event loop if none is due. A drain that is due polls after clearing the flag, so it sees every
     * message offered before a delivery found the flag set.
     */
    @Override
    public void deliver(PublishedMessage message, Delivery delivery) {
        inbox.offer(new Outbound(message, delivery));
        if (drainDue.compareAndSet(false, true)) {
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
    }

    private synchronized void drainInbox() {
        drainDue.set(false);
        Outbound o;
        while ((o = inbox.poll()) != null) {
            try {
                take(o);
            } catch (RuntimeException e) {
                // one message that cannot be sent must not strand the ones queued behind it
                LOG.log(Level.WARNING, "Could not deliver " + o.message + " to client " + clientId, e);
                drop(o.message, e.toString());
            }
        }
    }

    /** Sends, queues or drops one message; under the monitor, usually on the client's event loop. */
    private void take(Outbound o) {
        if (ended) {
            return;
        }
        if (o.delivery.qos() == 0) {
            // QoS 0 is dropped rather than buffered without bound when the client does not read fast enough
            if (channel != null) {
                if (unwrittenQos0Bytes.get() + pendingOnSocket(channel) < maxUnwrittenQos0Bytes) {
                    sendQos0(o);
                } else {
                    drop(o.message, "client not reading");
                }
            } else if (queueQos0Offline) {
                enqueue(o);
            } else {
                drop(o.message, "client offline");
            }
            return;
        }
        if (channel != null && inflight.size() < inflightLimit() && queued.isEmpty()) {
            sendNew(o);
        } else {
            enqueue(o);
        }
    }

    private void enqueue(Outbound o) {
        if (queued.size() < maxQueued) {
            queued.add(o);
        } else if (overflow == BrokerConfig.QueueOverflow.DROP_OLDEST && maxQueued > 0) {
            drop(queued.poll().message, "queue full (" + maxQueued + " messages), oldest dropped");
            queued.add(o);
        } else {
            drop(o.message, "queue full (" + maxQueued + " messages)");
        }
    }

    private void sendQos0(Outbound o) {
        MqttProperties props = packets.properties(o.message, o.delivery);
        if (!fits(o, props)) {
            return;
        }
        long bytes = o.message.payload().length + o.message.topic().length() + 16L;
        unwrittenQos0Bytes.addAndGet(bytes);
        stats.messagesSent.increment();
        // until written, counted here; afterwards the channel's pending bytes count (see pendingOnSocket)
        write(packets.publish(o.message, o.delivery, 0, false, props), bytes);
    }

    /** Bytes written to the channel and not yet handed to the socket. */
    private static long pendingOnSocket(Channel ch) {
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    /** PUBACK from the client completes a QoS 1 delivery [MQTT-4.3.2-1]. */
    synchronized void onPubAck(int packetId) {
        Outbound o = inflight.get(packetId);
        if (o != null && o.delivery.qos() == 1) {
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
        Outbound o = inflight.get(packetId);
        if (o != null && failed) {
            // MQTT 5: a PUBREC reason code >= 0x80 ends the flow; the identifier is free again [MQTT-4.3.3-4]
            inflight.remove(packetId);
            inflightCount = inflight.size();
            drainQueue();
            return;
        }
        if (o != null && o.delivery.qos() == 2) {
            o.released = true;
        }
        send(Packets.pubRel(packetId, o != null ? (byte) 0 : Packets.PACKET_ID_NOT_FOUND));
    }

    /** PUBCOMP completes a QoS 2 delivery; the packet identifier becomes free. */
    synchronized void onPubComp(int packetId) {
        Outbound o = inflight.get(packetId);
        if (o != null && o.released) {
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
            Outbound next = queued.peek();
            if (next.delivery.qos() > 0 && inflight.size() >= inflightLimit()) {
                return;
            }
            queued.poll();
            long now = System.currentTimeMillis();
            if (next.message.isExpired(now)) {
                drop(next.message, "expired while queued");
            } else if (next.delivery.qos() == 0) {
                sendQos0(next);
            } else {
                sendNew(next);
            }
        }
    }

    private void sendNew(Outbound o) {
        MqttProperties props = packets.properties(o.message, o.delivery);
        if (!fits(o, props)) {
            return; // as if completed [MQTT-3.1.2-25]
        }
        o.packetId = nextPacketId();
        inflight.put(o.packetId, o);
        inflightCount = inflight.size();
        stats.messagesSent.increment();
        send(packets.publish(o.message, o.delivery, o.packetId, false, props));
    }

    /** Whether the packet is within the client's Maximum Packet Size; drops it for this client when not. */
    private boolean fits(Outbound o, MqttProperties props) {
        String oversize = packets.oversize(o.message, o.delivery.qos(), props);
        if (oversize != null) {
            drop(o.message, oversize);
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
        AtomicInteger pending = queuedWrites;
        pending.incrementAndGet();
        ch.eventLoop().execute(() -> {
            ch.write(packet, ch.voidPromise());
            if (qos0Bytes > 0) {
                unwrittenQos0Bytes.addAndGet(-qos0Bytes);
            }
            if (pending.decrementAndGet() == 0) {
                ch.flush();
            }
        });
    }

    private void drop(PublishedMessage message, String why) {
        stats.messagesDropped.increment();
        if (LOG.isLoggable(Level.FINE)) {
            LOG.fine("Dropped " + message + " for client " + clientId + ": " + why);
        }
    }

    /** The session is over: nothing more is taken, and what waits or is in flight is forgotten. */
    synchronized void end() {
        ended = true;
        queued.clear();
        inflight.clear();
        inflightCount = 0;
    }

    synchronized boolean isEnded() {
        return ended;
    }
}
