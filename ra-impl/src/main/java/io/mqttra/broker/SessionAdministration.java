package io.mqttra.broker;

import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * What an administrator may see of and do to client sessions: snapshots, closing a connection, ending a
 * session. Not for the hot path: each call walks or locks what it reads.
 */
public final class SessionAdministration {

    private final SessionRegistry sessions;

    SessionAdministration(SessionRegistry sessions) {
        this.sessions = sessions;
    }

    /**
     * A page of the sessions that {@code filter} accepts, ordered by client identifier. Reads the sessions
     * in that order from the registry's sorted index and stops at the page's end: its cost is that of the
     * sessions skipped and returned (and, with a filter, of those it refused on the way), not of all.
     * Weakly consistent: a session opened or ended meanwhile may or may not be on it.
     *
     * @param filter which sessions count, or null for all
     */
    public List<SessionSnapshot> sessions(Predicate<SessionSnapshot> filter, int offset, int limit) {
        List<SessionSnapshot> page = new ArrayList<>(Math.min(limit, 1024));
        int toSkip = offset;
        for (Iterator<ClientSession> all = sessions.inClientIdOrder(); all.hasNext() && page.size() < limit; ) {
            ClientSession session = all.next();
            SessionSnapshot s = null;
            if (filter != null && !filter.test(s = SessionSnapshot.of(session))) {
                continue;
            }
            if (toSkip > 0) {
                toSkip--;
            } else {
                page.add(s != null ? s : SessionSnapshot.of(session));
            }
        }
        return page;
    }

    /** One session, or null. */
    public SessionSnapshot session(String clientId) {
        ClientSession s = sessions.get(clientId);
        return s == null ? null : SessionSnapshot.of(s);
    }

    /**
     * Closes the client's connection as an administrative action: MQTT 5 clients get DISCONNECT 0x98
     * first [MQTT-4.13.1-1], 3.x clients a closed socket. The session then lives on as its expiry says,
     * and the will is published, as for any connection the server ends [MQTT-3.1.2-8].
     *
     * @return false when the client is not connected
     */
    public boolean disconnect(String clientId) {
        ClientSession s = sessions.get(clientId);
        Channel connection = s == null ? null : s.channel();
        if (connection == null) {
            return false;
        }
        MqttConnectionHandler.closeByAdministrator(connection);
        return true;
    }

    /**
     * Ends the session now, whatever its expiry: its subscriptions and queued messages go, a pending will
     * is published, and a connection holding it is closed as by {@link #disconnect}.
     *
     * @return false when there is no session for {@code clientId}
     */
    public boolean delete(String clientId) {
        return sessions.delete(clientId, MqttConnectionHandler::closeByAdministrator);
    }
}
