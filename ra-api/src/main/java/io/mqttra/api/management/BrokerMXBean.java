package io.mqttra.api.management;

/**
 * The broker as a whole: the same figures {@code $SYS/broker/...} publishes, read from the same
 * counters, and the listeners. Counters count since the adapter started.
 */
public interface BrokerMXBean {

    /** The build's version, e.g. {@code 0.1.0-SNAPSHOT}. */
    String getVersion();

    /** When the broker started, epoch milliseconds. */
    long getStartTime();

    long getUptimeSeconds();

    /** Each listener with its actual address (the real port when configured as 0) and open connections. */
    ListenerInfo[] getListeners();

    /** Clients connected with an accepted CONNECT ({@code $SYS/broker/clients/connected}). */
    int getConnectedClients();

    /** Sessions, connected or offline and persistent ({@code $SYS/broker/clients/total}). */
    int getSessions();

    /** Subscriptions, of MQTT clients and of beans ({@code $SYS/broker/subscriptions/count}). */
    int getSubscriptions();

    int getRetainedMessages();

    long getRetainedBytes();

    /** Retained messages the bounds did not keep. */
    long getRetainedRefused();

    long getMessagesReceived();

    long getMessagesSent();

    long getBytesReceived();

    long getBytesSent();

    /** Messages not delivered to some subscriber because of a limit: full queue, slow reader, too large, expired. */
    long getMessagesDropped();

    long getConnectionsTotal();

    /** Connections a limit refused or closed (maxConnections, connection rate, maxClientSessions). */
    long getConnectionsRefused();

    long getLoginsRefused();

    long getPublishesDenied();

    long getSubscriptionsDenied();

    /** Messages received per second over the last completed interval of {@link #getRateIntervalSeconds()}. */
    double getMessagesReceivedPerSecond();

    /** Messages sent per second over the last completed interval. */
    double getMessagesSentPerSecond();

    double getBytesReceivedPerSecond();

    double getBytesSentPerSecond();

    /** The interval the rates are averaged over. */
    int getRateIntervalSeconds();
}
