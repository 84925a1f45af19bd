package io.mqttra.broker;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The state the broker keeps for one client identifier (MQTT 5.0 section 4.1): its subscriptions,
 * the QoS 1/2 messages sent and not yet acknowledged, the messages waiting to be sent, and the QoS 2
 * packet identifiers received and not yet released. It outlives connections while the session has
 * not expired.
 *
 * <p>State is guarded by the session's monitor: acknowledgements arrive on the client's own I/O
 * thread, and connections come and go. Messages arrive from publishers' I/O threads, but they do not
 * take the monitor there: they go into an inbox that the client's event loop drains, in arrival
 * order, one task per burst. Several publishers' threads contending for one subscriber's monitor on
 * a small machine had stalled for tens of milliseconds at a time whenever the holder was descheduled
 * (JFR: {@code JavaMonitorEnter} in {@code deliver}, up to 38 ms). While the client is offline there
 * is no event loop, and the publisher's thread drains the inbox itself. Every packet to the client is
 * written as a task on the channel's event loop, queued while the monitor is held, so the wire order
 * is the order decided here.
 */
final class ClientSession implements Subscriber {

    private static final Logger LOG = Logger.getLogger(ClientSession.class.getName());

    /** Session expiry meaning "never" (MQTT 5 0xFFFFFFFF, and MQTT 3.x persistent sessions). */
    static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

    /** A QoS 1/2 message sent to the client and not yet completed. */
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

    private final Map<String, Subscription> subscriptions = new HashMap<>();
    private final LinkedHashMap<Integer, Outbound> inflight = new LinkedHashMap<>();
    private final ArrayDeque<Outbound> queued = new ArrayDeque<>();
    private final Set<Integer> receivedQos2 = new HashSet<>();
    private final Map<String, Integer> outboundAliases = new HashMap<>();
    /** Written under the monitor; read without it by {@link #deliver} to find the event loop to hand over to. */
    private volatile Channel channel;
    /** Deliveries not yet taken in, in arrival order (see the class comment). */
    private final Queue<Delivered> inbox = new ConcurrentLinkedQueue<>();
    /** A drain of the inbox is due: set by the delivery that finds it clear, cleared by the drain before it polls. */
    private final AtomicBoolean drainDue = new AtomicBoolean();
    private ConnectionLimits limits = ConnectionLimits.unlimited(1);
    private int lastPacketId;
    /**
     * Bytes of QoS 0 packets handed to the event loop and not yet in the channel's outbound buffer.
     * Together with what waits in that buffer it is bounded by {@code maxClientBufferBytes}, so a burst
     * to a client that reads a little slower is absorbed while a client that stops reading costs at most
     * that much.
     */
    private final java.util.concurrent.atomic.AtomicLong unwrittenQos0Bytes = new java.util.concurrent.atomic.AtomicLong();
    private final long maxUnwrittenQos0Bytes;
    /**
     * Writes queued on the current connection's event loop and not run yet; the write that brings it to
     * zero flushes, so a burst shares one flush (one system call) instead of one per packet. A new
     * counter for every connection.
     */
    private AtomicInteger queuedWrites = new AtomicInteger();

    private long expirySeconds;
    private ScheduledFuture<?> expiryTimer;
    private PublishedMessage pendingWill;
    private ScheduledFuture<?> willTimer;
    private boolean ended;

    ClientSession(String clientId, BrokerConfig config, BrokerStats stats) {
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

    String clientId() {
        return clientId;
    }

    @Override
    public synchronized boolean isAvailable() {
        return channel != null && inflight.size() < inflightLimit();
    }

    synchronized Channel channel() {
        return channel;
    }

    /**
     * Binds the session to a new connection and replays what the previous connection left unfinished:
     * unacknowledged PUBLISH packets with DUP set and PUBREL for released QoS 2 messages
     * [MQTT-4.4.0-1], then the queued messages. Topic aliases start afresh [MQTT-3.3.2-7].
     */
    synchronized void attach(Channel newChannel, ConnectionLimits newLimits) {
        channel = newChannel;
        limits = newLimits;
        queuedWrites = new AtomicInteger();
        outboundAliases.clear();
        for (Outbound o : inflight.values()) {
            send(o.released ? Packets.pubRel(o.packetId, (byte) 0) : publishPacket(o, true, properties(o)));
        }
        drainQueue();
    }

    /** Unbinds the session from {@code closed}; returns false when another connection already owns it. */
    synchronized boolean detach(Channel closed) {
        if (channel != closed) {
            return false;
        }
        channel = null;
        return true;
    }

    synchronized void addSubscription(Subscription s) {
        subscriptions.put(s.key(), s);
    }

    synchronized Subscription removeSubscription(String key) {
        return subscriptions.remove(key);
    }

    synchronized Collection<Subscription> subscriptions() {
        return List.copyOf(subscriptions.values());
    }

    private record Delivered(PublishedMessage message, Delivery delivery) {
    }

    /**
     * Takes a message for this client from any thread: into the inbox, and a drain on the client's
     * event loop if none is due. A drain that is due polls after clearing the flag, so it sees every
     * message offered before a delivery found the flag set.
     */
    @Override
    public void deliver(PublishedMessage message, Delivery delivery) {
        inbox.offer(new Delivered(message, delivery));
        if (drainDue.compareAndSet(false, true)) {
            Channel ch = channel;
            if (ch == null || ch.eventLoop().inEventLoop()) {
                drainInbox();
            } else {
                try {
                    ch.eventLoop().execute(this::drainInbox);
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    drainInbox(); // the broker's event loops are shutting down: take it here
                }
            }
        }
    }

    private synchronized void drainInbox() {
        drainDue.set(false);
        Delivered d;
        while ((d = inbox.poll()) != null) {
            try {
                take(d.message(), d.delivery());
            } catch (RuntimeException e) {
                // one message that cannot be sent must not strand the ones queued behind it
                LOG.log(Level.WARNING, "Could not deliver " + d.message() + " to client " + clientId, e);
                drop(d.message(), e.toString());
            }
        }
    }

    /** Sends, queues or drops one message; under the monitor, usually on the client's event loop. */
    private void take(PublishedMessage message, Delivery delivery) {
        if (ended) {
            return;
        }
        Outbound o = new Outbound(message, delivery);
        if (delivery.qos() == 0) {
            // QoS 0 is dropped rather than buffered without bound when the client does not read fast enough
            if (channel != null) {
                if (unwrittenQos0Bytes.get() + pendingOnSocket(channel) < maxUnwrittenQos0Bytes) {
                    sendQos0(o);
                } else {
                    drop(message, "client not reading");
                }
            } else if (queueQos0Offline) {
                enqueue(o);
            } else {
                drop(message, "client offline");
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
        MqttProperties props = properties(o);
        if (!fits(o, props)) {
            return;
        }
        long bytes = o.message.payload().length + o.message.topic().length() + 16L;
        unwrittenQos0Bytes.addAndGet(bytes);
        stats.messagesSent.increment();
        // until written, counted here; afterwards the channel's pending bytes count (see pendingOnSocket)
        write(publishPacket(o, false, props), bytes);
    }

    /** Bytes written to the channel and not yet handed to the socket. */
    private static long pendingOnSocket(Channel ch) {
        io.netty.channel.ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    /** On the event loop, once per write: atomic rather than under the monitor the publishers' threads contend for. */
    private void qos0Written(long bytes) {
        unwrittenQos0Bytes.addAndGet(-bytes);
    }

    /** PUBACK from the client completes a QoS 1 delivery [MQTT-4.3.2-1]. */
    synchronized void onPubAck(int packetId) {
        Outbound o = inflight.get(packetId);
        if (o != null && o.delivery.qos() == 1) {
            inflight.remove(packetId);
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
            drainQueue();
        }
    }

    /**
     * Records an incoming QoS 2 PUBLISH. Returns false for a retransmission of a packet identifier that
     * has not been released yet, which must not be delivered again [MQTT-4.3.3-9].
     */
    synchronized boolean receiveQos2(int packetId) {
        return receivedQos2.add(packetId);
    }

    synchronized boolean isReceivingQos2(int packetId) {
        return receivedQos2.contains(packetId);
    }

    /** QoS 2 messages received from the client and not released yet (its in-flight count towards us). */
    synchronized int receivingQos2() {
        return receivedQos2.size();
    }

    /** PUBREL from the client; returns false when the packet identifier was unknown. */
    synchronized boolean releaseQos2(int packetId) {
        return receivedQos2.remove(packetId);
    }

    private int inflightLimit() {
        return Math.min(maxInflight, limits.receiveMaximum());
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
        MqttProperties props = properties(o);
        if (!fits(o, props)) {
            return; // as if completed [MQTT-3.1.2-25]
        }
        o.packetId = nextPacketId();
        inflight.put(o.packetId, o);
        stats.messagesSent.increment();
        send(publishPacket(o, false, props));
    }

    /** Whether the packet is within the client's Maximum Packet Size; drops it for this client when not. */
    private boolean fits(Outbound o, MqttProperties props) {
        if (limits.maximumPacketSize() == Integer.MAX_VALUE) {
            return true;
        }
        PublishedMessage m = o.message;
        int aliasProperty = limits.topicAliasMaximum() > 0 ? 3 : 0;
        int size = aliasProperty + PacketSizes.publish(m.topic(), m.payload().length, o.delivery.qos(),
                props, limits.mqtt5());
        if (size > limits.maximumPacketSize()) {
            drop(m, "packet of " + size + " bytes exceeds the client's Maximum Packet Size " + limits.maximumPacketSize());
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

    /** The MQTT 5 properties of the PUBLISH for this client (none for MQTT 3.x); computed once per send. */
    private MqttProperties properties(Outbound o) {
        return limits.mqtt5()
                ? Mqtt5PropertiesCodec.forSubscriber(o.message, System.currentTimeMillis(), o.delivery.subscriptionIds())
                : MqttProperties.NO_PROPERTIES;
    }

    private Object publishPacket(Outbound o, boolean dup, MqttProperties properties) {
        PublishedMessage m = o.message;
        MqttProperties props = properties;
        String topic = m.topic();
        if (limits.mqtt5() && limits.topicAliasMaximum() > 0 && !dup) {
            Integer alias = outboundAliases.get(topic);
            if (alias != null) {
                topic = ""; // the alias alone names the topic [MQTT-3.3.2-12]
            } else if (outboundAliases.size() < limits.topicAliasMaximum()) {
                alias = outboundAliases.size() + 1;
                outboundAliases.put(topic, alias);
            }
            if (alias != null) {
                props = withAlias(props, alias);
            }
        }
        return Packets.publish(topic, m.payload(), o.delivery.qos(), o.delivery.retain(), dup, o.packetId, props);
    }

    private static MqttProperties withAlias(MqttProperties props, int alias) {
        MqttProperties copy = new MqttProperties();
        props.listAll().forEach(p -> copy.add(p));
        copy.add(new IntegerProperty(MqttPropertyType.TOPIC_ALIAS.value(), alias));
        return copy;
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
                qos0Written(qos0Bytes);
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

    // --- session lifetime: expiry and delayed will (MQTT 5.0 sections 3.1.2.11.2 and 3.1.3.2.2) ---

    synchronized long expirySeconds() {
        return expirySeconds;
    }

    synchronized void setExpirySeconds(long expirySeconds) {
        this.expirySeconds = expirySeconds;
    }

    synchronized void setExpiryTimer(ScheduledFuture<?> timer) {
        cancel(expiryTimer);
        expiryTimer = timer;
    }

    synchronized void setPendingWill(PublishedMessage will, ScheduledFuture<?> timer) {
        cancel(willTimer);
        pendingWill = will;
        willTimer = timer;
    }

    /** Takes the delayed will that has not been published yet, if any, cancelling its timer. */
    synchronized PublishedMessage takePendingWill() {
        cancel(willTimer);
        willTimer = null;
        PublishedMessage will = pendingWill;
        pendingWill = null;
        return will;
    }

    /** The session is over (expired, discarded by a clean start, or ended with its connection). */
    synchronized void end() {
        ended = true;
        cancel(expiryTimer);
        queued.clear();
        inflight.clear();
    }

    synchronized boolean isEnded() {
        return ended;
    }

    synchronized void resumed() {
        cancel(expiryTimer);
        expiryTimer = null;
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
