package io.mqttra.broker;

import io.netty.channel.Channel;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.logging.Logger;

/**
 * All sessions by client identifier. Decides session reuse and takeover when a client connects, and
 * what happens when its connection ends: removal, expiry later, and when the will is published.
 */
final class SessionRegistry {

    private static final Logger LOG = Logger.getLogger(SessionRegistry.class.getName());

    /** Runs a task after some seconds on one of the broker's threads. */
    interface Timer {
        ScheduledFuture<?> schedule(Runnable task, long seconds);
    }

    /** What opening a session found. */
    record Opened(ClientSession session, boolean sessionPresent, Channel previousConnection) {
    }

    private final ConcurrentHashMap<String, ClientSession> sessions = new ConcurrentHashMap<>();
    private final BrokerConfig config;
    private final MessageRouter router;
    private final BrokerStats stats;
    private final Timer timer;

    SessionRegistry(BrokerConfig config, MessageRouter router, BrokerStats stats, Timer timer) {
        this.config = config;
        this.router = router;
        this.stats = stats;
        this.timer = timer;
    }

    /**
     * Binds {@code clientId}'s session to {@code connection}. With {@code cleanStart} any existing
     * state is discarded [MQTT-3.1.2-4]; otherwise an existing session is resumed [MQTT-3.1.2-5] and a
     * will its previous connection left pending is not published [MQTT-3.1.3-9]. A connection that
     * still holds the session is returned so that the caller closes it [MQTT-3.1.4-3].
     */
    synchronized Opened open(String clientId, boolean cleanStart, long expirySeconds, Channel connection,
                             ConnectionLimits limits) {
        ClientSession existing = sessions.get(clientId);
        Channel previous = existing == null ? null : existing.channel();
        ClientSession session;
        boolean present;
        // a session that was to end with its connection (expiry 0) is not resumed by a takeover [MQTT-3.1.2-6]
        if (existing != null && !cleanStart && existing.expirySeconds() != 0) {
            session = existing;
            session.resumed();
            session.takePendingWill();
            present = true;
        } else {
            if (existing != null) {
                existing.detach(previous);
                endSession(existing);
            }
            session = new ClientSession(clientId, config, stats);
            sessions.put(clientId, session);
            present = false;
        }
        session.setExpirySeconds(expirySeconds);
        session.attach(connection, limits);
        return new Opened(session, present, previous);
    }

    /**
     * The connection {@code closed} has ended. A session with expiry 0 ends now; others stay, queue
     * messages and expire later. The will (present unless the client sent a normal DISCONNECT) is
     * published now, or after its delay unless the client comes back first (MQTT 5.0 section 3.1.3.2.2).
     */
    synchronized void closed(ClientSession session, Channel closed, PublishedMessage will, long willDelaySeconds) {
        if (!session.detach(closed)) {
            // taken over: the will goes out at once unless the new connection resumed the session within the delay
            if (will != null && (willDelaySeconds == 0 || session.isEnded())) {
                publishWill(will);
            }
            return;
        }
        long expiry = session.expirySeconds();
        if (expiry == 0) {
            sessions.remove(session.clientId(), session);
            endSession(session);
            if (will != null) {
                publishWill(will);
            }
            return;
        }
        if (will != null) {
            long delay = Math.min(willDelaySeconds, expiry);
            if (delay == 0) {
                publishWill(will);
            } else {
                session.setPendingWill(will, timer.schedule(() -> publishPendingWill(session), delay));
            }
        }
        if (expiry != ClientSession.NEVER_EXPIRES) {
            session.setExpiryTimer(timer.schedule(() -> expire(session), expiry));
        }
    }

    /** Expiry counts from the will's publication, not from the CONNECT that carried it. */
    private void publishWill(PublishedMessage will) {
        router.route(will.receivedAt(System.currentTimeMillis()));
    }

    private void publishPendingWill(ClientSession session) {
        PublishedMessage will = session.takePendingWill();
        if (will != null) {
            publishWill(will);
        }
    }

    /** The session expiry interval has passed with no connection [MQTT-4.1.0-2]. */
    private synchronized void expire(ClientSession session) {
        if (sessions.get(session.clientId()) == session && session.channel() == null) {
            sessions.remove(session.clientId(), session);
            endSession(session);
            LOG.fine(() -> "Session of client " + session.clientId() + " expired");
        }
    }

    /** Ends a session: its subscriptions go, and a will still waiting for its delay is published now. */
    private void endSession(ClientSession session) {
        // ended before its subscriptions are read: a SUBSCRIBE on another I/O thread that adds one after
        // this read sees the end and removes it itself (SubscribeActions)
        session.end();
        session.subscriptions().forEach(s -> router.unsubscribe(session.outbox(), s));
        PublishedMessage will = session.takePendingWill();
        if (will != null) {
            publishWill(will);
        }
    }

    int size() {
        return sessions.size();
    }

}
