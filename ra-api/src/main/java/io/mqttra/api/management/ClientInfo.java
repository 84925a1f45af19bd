package io.mqttra.api.management;

import java.util.Date;

/**
 * One client session as an administrator sees it. For an offline session the connection's fields are
 * those of its last connection.
 *
 * @param clientId the MQTT client identifier
 * @param connected whether a connection holds the session now
 * @param userName the authenticated user name, or null for an anonymous client
 * @param address the client's address, {@code host:port}
 * @param listener the name of the listener it connected to
 * @param protocolLevel 3 (MQTT 3.1), 4 (3.1.1) or 5 (5.0)
 * @param connectedSince when its (last) connection was accepted
 * @param keepAliveSeconds the keep-alive the broker holds it to; 0: none
 * @param sessionExpirySeconds how long the session outlives its connection; 4294967295: never expires
 * @param inflight QoS 1/2 messages sent to it and not acknowledged yet
 * @param queued messages waiting to be sent to it
 * @param subscriptions how many subscriptions it has
 */
public record ClientInfo(String clientId, boolean connected, String userName, String address, String listener,
                         int protocolLevel, Date connectedSince, int keepAliveSeconds, long sessionExpirySeconds,
                         int inflight, int queued, int subscriptions) {
}
