package io.mqttra.api.management;

/**
 * The MQTT clients' sessions, connected or offline: a paged list, one client's details, and the
 * operations an administrator needs for a misbehaving or abandoned client. Every operation is logged
 * with the administrator's identity.
 */
public interface ClientsMXBean {

    /** Clients connected with an accepted CONNECT. */
    int getConnectedCount();

    /** Sessions, connected or offline. */
    int getSessionCount();

    /**
     * A page of sessions, ordered by client identifier.
     *
     * @param match a pattern with {@code *} (any characters) and {@code ?} (one character) that the client
     *     identifier, the user name or the address must match; empty or null: all
     * @param connectedOnly only the sessions with a connection
     * @param offset how many matching sessions to skip
     * @param limit at most this many (1 to 1000)
     */
    ClientInfo[] list(String match, boolean connectedOnly, int offset, int limit);

    /** One session with its subscriptions, or null when there is no session for {@code clientId}. */
    ClientDetails details(String clientId);

    /**
     * Closes the client's connection: an MQTT 5 client first gets DISCONNECT with reason code 0x98
     * (administrative action), an MQTT 3.x client's socket just closes. The session stays as its expiry
     * says, and the will is published as for any connection the server ends.
     *
     * @return false when the client is not connected
     */
    boolean disconnect(String clientId);

    /**
     * Ends the session, connected or not: its subscriptions and queued messages go, a connection is
     * closed as by {@link #disconnect}, and a will still waiting for its delay is published now.
     *
     * @return false when there is no session for {@code clientId}
     */
    boolean deleteSession(String clientId);
}
