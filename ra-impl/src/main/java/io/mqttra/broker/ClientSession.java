package io.mqttra.broker;

import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The state the broker keeps for one client identifier (MQTT 3.1.1 section 4.1): its subscriptions,
 * the QoS 1/2 messages sent and not yet acknowledged, the messages waiting to be sent, and the QoS 2
 * packet identifiers received and not yet released. It outlives connections when the session is
 * persistent.
 *
 * <p>State is guarded by the session's monitor: messages arrive from publishers' I/O threads while
 * acknowledgements arrive on the client's own I/O thread. Every packet to the client is written as a
 * task on the channel's event loop, queued while the monitor is held, so the wire order is the order
 * decided here.
 */
final class ClientSession implements Subscriber {

    private static final Logger LOG = Logger.getLogger(ClientSession.class.getName());

    /** A QoS 1/2 message sent to the client and not yet completed. */
    private static final class Outbound {
        final PublishedMessage message;
        final int qos;
        final boolean retainFlag;
        int packetId;
        boolean released; // QoS 2: PUBREC received and PUBREL sent

        Outbound(PublishedMessage message, int qos, boolean retainFlag) {
            this.message = message;
            this.qos = qos;
            this.retainFlag = retainFlag;
        }
    }

    private final String clientId;
    private final int maxInflight;
    private final int maxQueued;
    private final AtomicLong droppedMessages;

    private final Map<String, Integer> subscriptions = new HashMap<>();
    private final LinkedHashMap<Integer, Outbound> inflight = new LinkedHashMap<>();
    private final ArrayDeque<Outbound> queued = new ArrayDeque<>();
    private final Set<Integer> receivedQos2 = new HashSet<>();
    private Channel channel;
    private boolean persistent;
    private int lastPacketId;

    ClientSession(String clientId, BrokerConfig config, AtomicLong droppedMessages) {
        this.clientId = clientId;
        this.maxInflight = config.maxInflightPerClient();
        this.maxQueued = config.maxQueuedPerClient();
        this.droppedMessages = droppedMessages;
    }

    @Override
    public String subscriberId() {
        return clientId;
    }

    String clientId() {
        return clientId;
    }

    synchronized boolean isPersistent() {
        return persistent;
    }

    synchronized void setPersistent(boolean persistent) {
        this.persistent = persistent;
    }

    synchronized Channel channel() {
        return channel;
    }

    /**
     * Binds the session to a new connection and replays what the previous connection left unfinished:
     * unacknowledged PUBLISH packets with DUP set and PUBREL for released QoS 2 messages
     * [MQTT-4.4.0-1], then the queued messages.
     *
     * @return the connection the session was bound to before, or {@code null}
     */
    synchronized Channel attach(Channel newChannel) {
        Channel previous = channel;
        channel = newChannel;
        for (Outbound o : inflight.values()) {
            send(o.released ? Packets.pubRel(o.packetId) : publishPacket(o, true));
        }
        drainQueue();
        return previous;
    }

    /** Unbinds the session from {@code closed}; returns false when another connection already owns it. */
    synchronized boolean detach(Channel closed) {
        if (channel != closed) {
            return false;
        }
        channel = null;
        return true;
    }

    synchronized void addSubscription(String filter, int qos) {
        subscriptions.put(filter, qos);
    }

    synchronized boolean removeSubscription(String filter) {
        return subscriptions.remove(filter) != null;
    }

    synchronized Map<String, Integer> subscriptions() {
        return Map.copyOf(subscriptions);
    }

    @Override
    public synchronized void deliver(PublishedMessage message, int qos, boolean fromRetainedStore) {
        if (qos == 0) {
            // QoS 0 is not queued for offline clients, and is dropped rather than buffered without bound
            // when the client does not read fast enough
            if (channel != null && channel.isWritable()) {
                send(publishPacket(new Outbound(message, 0, fromRetainedStore), false));
            } else {
                drop(message, channel == null ? "client offline" : "client not reading");
            }
            return;
        }
        Outbound o = new Outbound(message, qos, fromRetainedStore);
        if (channel != null && inflight.size() < maxInflight && queued.isEmpty()) {
            sendNew(o);
        } else if (queued.size() < maxQueued) {
            queued.add(o);
        } else {
            drop(message, "queue full (" + maxQueued + " messages)");
        }
    }

    /** PUBACK from the client completes a QoS 1 delivery [MQTT-4.3.2-1]. */
    synchronized void onPubAck(int packetId) {
        Outbound o = inflight.get(packetId);
        if (o != null && o.qos == 1) {
            inflight.remove(packetId);
            drainQueue();
        }
    }

    /** PUBREC: the client has the QoS 2 message; answer PUBREL and remember that we did [MQTT-4.3.3-1]. */
    synchronized void onPubRec(int packetId) {
        Outbound o = inflight.get(packetId);
        if (o != null && o.qos == 2) {
            o.released = true;
        }
        send(Packets.pubRel(packetId));
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
     * has not been released yet, which must not be delivered again [MQTT-4.3.3-2].
     */
    synchronized boolean receiveQos2(int packetId) {
        return receivedQos2.add(packetId);
    }

    /** PUBREL from the client: the packet identifier may now be reused for a new message. */
    synchronized void releaseQos2(int packetId) {
        receivedQos2.remove(packetId);
    }

    private void drainQueue() {
        while (channel != null && inflight.size() < maxInflight && !queued.isEmpty()) {
            sendNew(queued.poll());
        }
    }

    private void sendNew(Outbound o) {
        o.packetId = nextPacketId();
        inflight.put(o.packetId, o);
        send(publishPacket(o, false));
    }

    /** The next packet identifier not used by an unacknowledged message [MQTT-2.3.1-2]. */
    private int nextPacketId() {
        do {
            lastPacketId = lastPacketId == 65_535 ? 1 : lastPacketId + 1;
        } while (inflight.containsKey(lastPacketId));
        return lastPacketId;
    }

    private Object publishPacket(Outbound o, boolean dup) {
        PublishedMessage m = o.message;
        return Packets.publish(m.topic(), m.payload(), o.qos, o.retainFlag, dup, o.packetId,
                Mqtt5PropertiesCodec.forSubscriber(m, System.currentTimeMillis()));
    }

    private void send(Object packet) {
        Channel ch = channel;
        if (ch != null) {
            ch.eventLoop().execute(() -> ch.writeAndFlush(packet, ch.voidPromise()));
        }
    }

    private void drop(PublishedMessage message, String why) {
        droppedMessages.incrementAndGet();
        if (LOG.isLoggable(Level.FINE)) {
            LOG.fine("Dropped " + message + " for client " + clientId + ": " + why);
        }
    }

    synchronized int inflightCount() {
        return inflight.size();
    }

    synchronized int queuedCount() {
        return queued.size();
    }
}
