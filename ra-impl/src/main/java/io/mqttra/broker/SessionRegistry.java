package io.mqttra.broker;

import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * All sessions by client identifier. Decides session reuse and takeover when a client connects, and
 * what happens when its connection ends: removal, expiry later, and when the will is published.
 *
 * <p>Locking is per client identifier, so that CONNECTs of different clients never wait for each
 * other: the monitor of the session that {@link #sessions} maps an identifier to guards that mapping and
 * the session's lifetime (connection, expiry, pending will). The mapping changes only from absent to a
 * new session ({@code putIfAbsent}, holding the new session's monitor) or, holding the current session's
 * monitor, to another session or absent; a thread that locked a session no longer mapped looks again.
 * Routing can be slow (a durable subscriber writes to disk), so wills and the subscriptions of ended
 * sessions are routed and removed only once no session's monitor is held ({@link Aftermath}).
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

    /** What ending sessions and closing connections leave to do once no session's monitor is held. */
    private final class Aftermath {
        private final List<ClientSession> ended = new ArrayList<>(0);
        private final List<PublishedMessage> wills = new ArrayList<>(0);

        /** Ends {@code session}: a will still waiting for its delay is published now. Holding its monitor. */
        void end(ClientSession session) {
            session.end();
            if (session.leaveGrid()) {
                router.cluster().sessionDropped(session.clientId());
            }
            ended.add(session);
            will(session.takePendingWill());
        }

        void will(PublishedMessage will) {
            if (will != null) {
                wills.add(will);
            }
        }

        /** The ended sessions' subscriptions go (their outboxes take nothing more already), then the wills. */
        void run() {
            for (ClientSession session : ended) {
                session.subscriptions().forEach(s -> router.unsubscribe(session.outbox(), s));
            }
            wills.forEach(SessionRegistry.this::publishWill);
        }
    }

    /** What {@link #tryOpen} answers when {@code maxClientSessions} sessions exist. */
    private static final Opened FULL = new Opened(null, false, null);
    /** What ending a session that takes nothing along answers, as opposed to null: no session. */
    private static final SessionHandover NOTHING = new SessionHandover(0, List.of(), List.of());

    /**
     * A hash map: a sorted one, which let an administrator's page read only that page, cost 13% of the
     * broker's CPU in a storm of 19,000 CONNECTs in its string comparisons (#20); a page now walks them all.
     */
    private final ConcurrentHashMap<String, ClientSession> sessions = new ConcurrentHashMap<>();
    /** Sessions in {@link #sessions}, reserved before one is added. */
    private final AtomicInteger sessionCount = new AtomicInteger();
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
     *
     * @return what was opened, or null when {@code maxClientSessions} sessions exist and none of them is
     *     {@code clientId}'s: a client resuming or replacing its own session is never refused
     */
    Opened open(String clientId, boolean cleanStart, long expirySeconds, Channel connection, ConnectionLimits limits) {
        Aftermath aftermath = new Aftermath();
        Opened opened;
        do {
            opened = tryOpen(clientId, cleanStart, expirySeconds, connection, limits, aftermath);
        } while (opened == null);
        aftermath.run();
        return opened == FULL ? null : opened;
    }

    /**
     * Counts one more session unless {@code maxClientSessions} exist: exact under concurrent CONNECTs,
     * which {@code sessions.size()} before the insert would not be.
     */
    private boolean reserveSession() {
        int max = config.maxClientSessions();
        for (int n = sessionCount.get(); n < max; n = sessionCount.get()) {
            if (sessionCount.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    private void removeSession(ClientSession session) {
        if (sessions.remove(session.clientId(), session)) {
            sessionCount.decrementAndGet();
        }
    }

    /**
     * One attempt of {@link #open}; null when the session {@code clientId} maps to changed meanwhile,
     * {@link #FULL} when a new session would be one too many.
     */
    private Opened tryOpen(String clientId, boolean cleanStart, long expirySeconds, Channel connection,
                           ConnectionLimits limits, Aftermath aftermath) {
        ClientSession existing = sessions.get(clientId);
        if (existing == null) {
            if (!reserveSession()) {
                return FULL;
            }
            ClientSession fresh = new ClientSession(clientId, config, stats);
            synchronized (fresh) {
                if (sessions.putIfAbsent(clientId, fresh) == null) {
                    return start(fresh, false, null, expirySeconds, connection, limits);
                }
                sessionCount.decrementAndGet();
                return null;
            }
        }
        synchronized (existing) {
            if (sessions.get(clientId) != existing) {
                return null; // ended or replaced while this thread waited for its monitor
            }
            Channel previous = existing.channel();
            // a session that was to end with its connection (expiry 0) is not resumed by a takeover [MQTT-3.1.2-6]
            if (!cleanStart && existing.expirySeconds() != 0) {
                existing.resumed();
                existing.takePendingWill();
                return start(existing, true, previous, expirySeconds, connection, limits);
            }
            existing.detach(previous);
            aftermath.end(existing);
            ClientSession fresh = new ClientSession(clientId, config, stats);
            synchronized (fresh) {
                sessions.replace(clientId, existing, fresh);
                return start(fresh, false, previous, expirySeconds, connection, limits);
            }
        }
    }

    /** Holding {@code session}'s monitor. */
    private Opened start(ClientSession session, boolean present, Channel previous, long expirySeconds,
                         Channel connection, ConnectionLimits limits) {
        session.setExpirySeconds(expirySeconds);
        keep(session);
        session.attach(connection, limits);
        return new Opened(session, present, previous);
    }

    /**
     * In a cluster, keeps a persistent session in the grid as it is now (its subscriptions and expiry),
     * and from now on its QoS 1/2 messages until they are delivered, so that another node continues it
     * should this one die; a session that is no longer persistent leaves the grid. Call it whenever its
     * subscriptions or expiry change.
     *
     * @return completes once the grid holds it; null when there is nothing to wait for
     */
    CompletableFuture<Void> keep(ClientSession session) {
        ClusterBus cluster = router.cluster();
        if (!cluster.isClustered()) {
            return null;
        }
        synchronized (session) {
            if (session.isEnded()) {
                return null;
            }
            if (session.expirySeconds() == 0) {
                session.outbox().keepIn(null);
                if (session.leaveGrid()) {
                    cluster.sessionDropped(session.clientId());
                }
                return null;
            }
            session.outbox().keepIn(cluster);
            session.enterGrid();
            return cluster.sessionKept(session.clientId(), session.expirySeconds(), session.subscriptions());
        }
    }

    /**
     * Continues here, offline, the persistent session of a client whose node died, as the grid kept it:
     * its subscriptions route here from now on, its messages wait for the client, and it expires as any
     * offline session (counting from now).
     *
     * @return false when a session for {@code clientId} exists here already, or {@code maxClientSessions} do
     */
    boolean adopt(String clientId, SessionHandover state) {
        if (!reserveSession()) {
            return false;
        }
        ClientSession session = new ClientSession(clientId, config, stats);
        synchronized (session) {
            if (sessions.putIfAbsent(clientId, session) != null) {
                sessionCount.decrementAndGet();
                return false;
            }
            session.setExpirySeconds(state.expirySeconds());
            for (Subscription s : state.subscriptions()) {
                session.addSubscription(s);
                router.subscribe(session.outbox(), s);
            }
            keep(session);
            session.outbox().resume(state.messages());
            if (state.expirySeconds() != ClientSession.NEVER_EXPIRES) {
                session.setExpiryTimer(timer.schedule(() -> expire(session), state.expirySeconds()));
            }
        }
        return true;
    }

    /**
     * The connection {@code closed} has ended. A session with expiry 0 ends now; others stay, queue
     * messages and expire later. The will (present unless the client sent a normal DISCONNECT) is
     * published now, or after its delay unless the client comes back first (MQTT 5.0 section 3.1.3.2.2).
     */
    void closed(ClientSession session, Channel closed, PublishedMessage will, long willDelaySeconds) {
        Aftermath aftermath = new Aftermath();
        synchronized (session) {
            if (!session.detach(closed)) {
                // taken over: the will goes out at once unless the new connection resumed the session within the delay
                if (willDelaySeconds == 0 || session.isEnded()) {
                    aftermath.will(will);
                }
            } else if (session.expirySeconds() == 0) {
                removeSession(session);
                aftermath.end(session);
                aftermath.will(will);
            } else {
                long expiry = session.expirySeconds();
                if (will != null) {
                    long delay = Math.min(willDelaySeconds, expiry);
                    if (delay == 0) {
                        aftermath.will(will);
                    } else {
                        session.setPendingWill(will, timer.schedule(() -> publishPendingWill(session), delay));
                    }
                }
                if (expiry != ClientSession.NEVER_EXPIRES) {
                    session.setExpiryTimer(timer.schedule(() -> expire(session), expiry));
                }
            }
        }
        aftermath.run();
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
    private void expire(ClientSession session) {
        Aftermath aftermath = new Aftermath();
        synchronized (session) {
            if (sessions.get(session.clientId()) != session || session.channel() != null) {
                return;
            }
            removeSession(session);
            aftermath.end(session);
        }
        LOG.fine(() -> "Session of client " + session.clientId() + " expired");
        aftermath.run();
    }

    /** The sessions; a CONNECT being admitted may count already (counted at the reservation, before the insert). */
    int size() {
        return sessionCount.get();
    }

    // --- for administrators (SessionAdministration) ---

    ClientSession get(String clientId) {
        return sessions.get(clientId);
    }

    /** The sessions in no particular order, read as the iteration reaches them (weakly consistent, nothing copied). */
    Iterator<ClientSession> all() {
        return sessions.values().iterator();
    }

    /**
     * Ends {@code clientId}'s session now, connected or not, as its expiry would, and then hands the
     * connection that held it to {@code close}. The connection is detached first, under the session's
     * monitor, so that nothing it still sends acts on the ended session, and its close then counts as a
     * takeover's.
     *
     * @return false when there was no session
     */
    boolean delete(String clientId, Consumer<Channel> close) {
        return delete(clientId, null, close);
    }

    /**
     * {@link #delete(String, Consumer)}, only while the session's connection is {@code connectionId}
     * (a {@link Channel#id()} long text) or it has none: another node of the cluster took over that
     * connection, and a newer one here must stay. A null {@code connectionId} deletes in any case.
     */
    boolean delete(String clientId, String connectionId, Consumer<Channel> close) {
        return end(clientId, connectionId, close, null) != null;
    }

    /**
     * Ends {@code clientId}'s session as {@link #delete(String, String, Consumer)} does, and returns what
     * it takes to another node of the cluster; null when there was none (or a newer connection holds it).
     */
    SessionHandover handOver(String clientId, String connectionId, Consumer<Channel> close, RemoteNode movesTo) {
        SessionHandover handover = end(clientId, connectionId, close, movesTo);
        return handover == NOTHING ? null : handover;
    }

    private SessionHandover end(String clientId, String connectionId, Consumer<Channel> close, RemoteNode movesTo) {
        boolean handOver = movesTo != null;
        Aftermath aftermath = new Aftermath();
        Channel connection;
        SessionHandover handover = NOTHING;
        for (;;) {
            ClientSession session = sessions.get(clientId);
            if (session == null) {
                return null;
            }
            synchronized (session) {
                if (sessions.get(clientId) != session) {
                    continue; // ended or replaced while this thread waited for its monitor: look again
                }
                connection = session.channel();
                if (connectionId != null && connection != null && !connection.id().asLongText().equals(connectionId)) {
                    return null;
                }
                session.detach(connection);
                removeSession(session);
                if (handOver && session.expirySeconds() != 0) {
                    // taken before the session ends: ending it forgets what its outbox holds
                    handover = new SessionHandover(session.expirySeconds(), List.copyOf(session.subscriptions()), session.outbox().handOver(movesTo));
                }
                aftermath.end(session);
                break;
            }
        }
        aftermath.run();
        if (connection != null) {
            close.accept(connection);
        }
        return handover;
    }

}
