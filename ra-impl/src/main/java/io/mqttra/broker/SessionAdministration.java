package io.mqttra.broker;

import io.netty.channel.Channel;
import java.util.Comparator;
import java.util.List;

/**
 * What an administrator may see of and do to client sessions: snapshots, closing a connection, ending a
 * session. Not for the hot path: each call walks or locks what it reads.
 */
public final class SessionAdministration {

    private final SessionRegistry sessions;

    SessionAdministration(SessionRegistry sessions) {
        this.sessions = sessions;
    }

    /** Every session, connected or offline, ordered by client identifier. */
    public List<SessionSnapshot> sessions() {
        return sessions.all().stream().map(SessionSnapshot::of)
                .sorted(Comparator.comparing(SessionSnapshot::clientId)).toList();
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
