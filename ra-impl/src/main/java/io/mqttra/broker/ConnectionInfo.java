package io.mqttra.broker;

/**
 * Who holds a session's connection, as an administrator sees it; an offline session keeps its last.
 *
 * @param userName the authenticated user name, or null when anonymous
 * @param address the client's {@code host:port}
 * @param listener the listener's name
 * @param protocolLevel 3, 4 or 5
 * @param connectedAt when the CONNECT was accepted (epoch ms)
 * @param keepAliveSeconds the keep-alive the broker holds the client to; 0: none
 */
record ConnectionInfo(String userName, String address, String listener, int protocolLevel, long connectedAt,
                      int keepAliveSeconds) {
}
