package io.mqttra.broker;

import io.netty.channel.Channel;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * The state the broker keeps for one client identifier (MQTT 5.0 section 4.1): its subscriptions, the
 * QoS 2 packet identifiers received and not yet released, its expiry and delayed will, and its
 * {@link Outbox} of messages on their way to the client. It outlives connections while the session has
 * not expired.
 *
 * <p>State here is guarded by the session's monitor, the outbox's by its own: delivering a message to
 * the client takes no lock but the outbox's. {@link SessionRegistry} holds the session's monitor while
 * it binds the session to a connection, unbinds it or ends it.
 */
final class ClientSession {

    /** Session expiry meaning "never" (MQTT 5 0xFFFFFFFF, and MQTT 3.x persistent sessions). */
    static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

    private final String clientId;
    private final Outbox outbox;
    private final Map<String, Subscription> subscriptions = new HashMap<>();
    private final Set<Integer> receivedQos2 = new HashSet<>();
    private long expirySeconds;
    private ScheduledFuture<?> expiryTimer;
    private PublishedMessage pendingWill;
    private ScheduledFuture<?> willTimer;
    /** Whether the grid keeps this session (a persistent one, in a cluster). */
    private boolean inGrid;
    /** The last connection's description, for administrators; written on the connection's loop. */
    private volatile ConnectionInfo connection;

    ClientSession(String clientId, BrokerConfig config, BrokerStats stats) {
        this.clientId = clientId;
        this.outbox = new Outbox(clientId, config, stats);
    }

    String clientId() {
        return clientId;
    }

    /** Where the router delivers this session's messages; the subscriber its subscriptions are registered for. */
    Outbox outbox() {
        return outbox;
    }

    /** The connection the session is attached to, or null. */
    Channel channel() {
        return outbox.channel();
    }

    /** Binds the session to a new connection; the outbox replays what the previous one left unfinished. */
    void attach(Channel connection, ConnectionLimits limits) {
        outbox.attach(connection, limits);
    }

    /** Unbinds the session from {@code closed}; returns false when another connection already owns it. */
    boolean detach(Channel closed) {
        return outbox.detach(closed);
    }

    /** Who connected last, or null before the first CONNECT is through. */
    ConnectionInfo connection() {
        return connection;
    }

    void connectedBy(ConnectionInfo info) {
        this.connection = info;
    }

    synchronized void addSubscription(Subscription s) {
        subscriptions.put(s.key(), s);
    }

    /** Whether {@code s} fits within {@code max} subscriptions: a new one, or one that replaces its own. */
    synchronized boolean hasRoomFor(Subscription s, int max) {
        return subscriptions.size() < max || subscriptions.containsKey(s.key());
    }

    synchronized Subscription removeSubscription(String key) {
        return subscriptions.remove(key);
    }

    synchronized Collection<Subscription> subscriptions() {
        return List.copyOf(subscriptions.values());
    }

    // --- QoS 2 messages received from the client (MQTT 5.0 section 4.3.3) ---

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
        cancel(expiryTimer);
        outbox.end();
    }

    boolean isEnded() {
        return outbox.isEnded();
    }

    synchronized void enterGrid() {
        inGrid = true;
    }

    /** Whether the grid kept this session, which it no longer does from now on. */
    synchronized boolean leaveGrid() {
        boolean was = inGrid;
        inGrid = false;
        return was;
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
