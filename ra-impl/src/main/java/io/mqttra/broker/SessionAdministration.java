package io.mqttra.broker;

import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * What an administrator may see of and do to client sessions: snapshots, closing a connection, ending a
 * session. Not for the hot path: each call walks or locks what it reads.
 */
public final class SessionAdministration {

    private static final Comparator<ClientSession> BY_CLIENT_ID = Comparator.comparing(ClientSession::clientId);

    private final SessionRegistry sessions;

    SessionAdministration(SessionRegistry sessions) {
        this.sessions = sessions;
    }

    /**
     * A page of the sessions that {@code filter} accepts, ordered by client identifier. One pass over the
     * sessions keeps the {@code offset + limit} smallest identifiers in a bounded heap: a page costs a walk
     * of every session (with a filter, a snapshot of each) and a reference per session up to its end, but
     * no sort and no copy of them all. The registry is a hash map rather than a sorted index, so that a
     * CONNECT pays a hash lookup rather than string comparisons. Weakly consistent: a session opened or
     * ended meanwhile may or may not be on it.
     *
     * @param filter which sessions count, or null for all
     */
    public List<SessionSnapshot> sessions(Predicate<SessionSnapshot> filter, int offset, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        int wanted = (int) Math.min((long) offset + limit, Integer.MAX_VALUE);
        // the largest identifier kept is on top, where the next smaller one replaces it
        PriorityQueue<ClientSession> smallest = new PriorityQueue<>(Math.min(wanted, 1024), BY_CLIENT_ID.reversed());
        for (Iterator<ClientSession> all = sessions.all(); all.hasNext(); ) {
            ClientSession session = all.next();
            if (smallest.size() == wanted && session.clientId().compareTo(smallest.peek().clientId()) >= 0) {
                continue;
            }
            if (filter == null || filter.test(SessionSnapshot.of(session))) {
                smallest.add(session);
                if (smallest.size() > wanted) {
                    smallest.poll();
                }
            }
        }
        ClientSession[] inOrder = smallest.toArray(new ClientSession[0]);
        Arrays.sort(inOrder, BY_CLIENT_ID);
        List<SessionSnapshot> page = new ArrayList<>(Math.max(0, inOrder.length - offset));
        for (int i = offset; i < inOrder.length; i++) {
            page.add(SessionSnapshot.of(inOrder[i]));
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
        ConnectionClosing.closeByAdministrator(connection);
        return true;
    }

    /**
     * Ends the session now, whatever its expiry: its subscriptions and queued messages go, a pending will
     * is published, and a connection holding it is closed as by {@link #disconnect}.
     *
     * @return false when there is no session for {@code clientId}
     */
    public boolean delete(String clientId) {
        return sessions.delete(clientId, ConnectionClosing::closeByAdministrator);
    }
}
