package io.mqttra.broker;

import java.util.concurrent.atomic.LongAdder;

/** Counters the broker keeps for {@code $SYS} and for operators; all monotonic, all thread-safe. */
public final class BrokerStats {

    final LongAdder messagesReceived = new LongAdder();
    final LongAdder messagesSent = new LongAdder();
    final LongAdder bytesReceived = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder messagesDropped = new LongAdder();
    final LongAdder connectionsTotal = new LongAdder();
    final LongAdder connectionsRefused = new LongAdder();
    final LongAdder loginsRefused = new LongAdder();
    final LongAdder publishesDenied = new LongAdder();
    final LongAdder subscriptionsDenied = new LongAdder();
    final LongAdder connectionsRateLimited = new LongAdder();
    final LongAdder sessionsRefused = new LongAdder();
    final LongAdder receiveMaximumExceeded = new LongAdder();
    final LongAdder readsPaused = new LongAdder();

    public long messagesReceived() {
        return messagesReceived.sum();
    }

    public long messagesSent() {
        return messagesSent.sum();
    }

    public long bytesReceived() {
        return bytesReceived.sum();
    }

    public long bytesSent() {
        return bytesSent.sum();
    }

    /** Messages not delivered to a client because of a limit: full queue, slow reader, packet too big, expiry. */
    public long messagesDropped() {
        return messagesDropped.sum();
    }

    /** Connections accepted since the start. */
    public long connectionsTotal() {
        return connectionsTotal.sum();
    }

    /** Connections closed or refused by a limit (maxConnections, connection rate, maxClientSessions). */
    public long connectionsRefused() {
        return connectionsRefused.sum();
    }

    /** Logins refused: bad credentials, not authorized, or the security realm unavailable. */
    public long loginsRefused() {
        return loginsRefused.sum();
    }

    /** PUBLISH packets and wills refused by topic permissions or by the {@code $} rule. */
    public long publishesDenied() {
        return publishesDenied.sum();
    }

    /** Topic filters in SUBSCRIBE refused by topic permissions. */
    public long subscriptionsDenied() {
        return subscriptionsDenied.sum();
    }

    /** Connections closed at once because their address exceeded maxConnectionsPerSecondPerAddress. */
    public long connectionsRateLimited() {
        return connectionsRateLimited.sum();
    }

    /** CONNECTs refused because maxClientSessions sessions existed and they would have made one more. */
    public long sessionsRefused() {
        return sessionsRefused.sum();
    }

    /**
     * Connections closed for sending more unfinished QoS 1/2 messages than they may: MQTT 5 clients beyond
     * the Receive Maximum (DISCONNECT 0x93), MQTT 3.x clients beyond mqtt3ReceiveMaximum unreleased QoS 2 messages.
     */
    public long receiveMaximumExceeded() {
        return receiveMaximumExceeded.sum();
    }

    /** Times reading from an MQTT 3.x client paused because mqtt3ReceiveMaximum acknowledgements waited for storage. */
    public long readsPaused() {
        return readsPaused.sum();
    }
}
