package io.mqttra.broker;

import io.netty.channel.Channel;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** All sessions by client identifier; decides session reuse, takeover and removal. */
final class SessionRegistry {

    /** What opening a session found. */
    record Opened(ClientSession session, boolean sessionPresent, Channel previousConnection) {
    }

    private final ConcurrentHashMap<String, ClientSession> sessions = new ConcurrentHashMap<>();
    private final BrokerConfig config;
    private final MessageRouter router;
    private final AtomicLong droppedMessages = new AtomicLong();

    SessionRegistry(BrokerConfig config, MessageRouter router) {
        this.config = config;
        this.router = router;
    }

    /**
     * Binds {@code clientId}'s session to {@code connection}. With {@code cleanStart} any existing
     * state is discarded [MQTT-3.1.2-6]; otherwise an existing session is resumed [MQTT-3.1.2-4].
     * A connection that still holds the session is returned so the caller can close it [MQTT-3.1.4-2].
     */
    synchronized Opened open(String clientId, boolean cleanStart, boolean persistent, Channel connection) {
        ClientSession existing = sessions.get(clientId);
        Channel previous = existing == null ? null : existing.channel();
        ClientSession session;
        boolean present;
        if (existing != null && !cleanStart) {
            session = existing;
            present = true;
        } else {
            if (existing != null) {
                existing.detach(previous);
                discard(existing);
            }
            session = new ClientSession(clientId, config, droppedMessages);
            sessions.put(clientId, session);
            present = false;
        }
        session.setPersistent(persistent);
        session.attach(connection);
        return new Opened(session, present, previous);
    }

    /**
     * The connection {@code closed} has ended. A non-persistent session is removed with its
     * subscriptions [MQTT-3.1.2-6]; a persistent one stays and queues messages.
     */
    synchronized void closed(ClientSession session, Channel closed) {
        if (session.detach(closed) && !session.isPersistent()) {
            sessions.remove(session.clientId(), session);
            discard(session);
        }
    }

    private void discard(ClientSession session) {
        session.subscriptions().keySet().forEach(filter -> router.unsubscribe(session, filter));
    }

    int size() {
        return sessions.size();
    }

    ClientSession get(String clientId) {
        return sessions.get(clientId);
    }

    long droppedMessages() {
        return droppedMessages.get();
    }
}
