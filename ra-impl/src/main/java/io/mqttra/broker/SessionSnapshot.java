package io.mqttra.broker;

import java.util.List;

/**
 * One client session at one moment, for administrators. The connection's fields describe the last
 * connection of an offline session.
 *
 * @param clientId the client identifier
 * @param connected whether a connection holds it
 * @param userName the authenticated user name, or null
 * @param address the client's {@code host:port}
 * @param listener the name of the listener it connected to
 * @param protocolLevel 3 (MQTT 3.1), 4 (3.1.1) or 5 (5.0)
 * @param connectedSince when its (last) connection was accepted, epoch ms
 * @param keepAliveSeconds the keep-alive the broker holds it to; 0: none
 * @param expirySeconds the session expiry interval
 * @param inflight QoS 1/2 messages sent and not acknowledged
 * @param queued messages waiting to be sent
 * @param subscriptions its subscriptions
 */
public record SessionSnapshot(String clientId, boolean connected, String userName, String address, String listener,
                              int protocolLevel, long connectedSince, int keepAliveSeconds, long expirySeconds, int inflight,
                              int queued, List<Subscription> subscriptions) {

    public SessionSnapshot {
        subscriptions = List.copyOf(subscriptions);
    }

    static SessionSnapshot of(ClientSession session) {
        ConnectionInfo c = session.connection();
        Outbox outbox = session.outbox();
        return new SessionSnapshot(session.clientId(), session.channel() != null, c == null ? null : c.userName(),
                c == null ? null : c.address(), c == null ? null : c.listener(), c == null ? 0 : c.protocolLevel(),
                c == null ? 0 : c.connectedAt(), c == null ? 0 : c.keepAliveSeconds(), session.expirySeconds(),
                outbox.inflightMessages(), outbox.queuedMessages(), List.copyOf(session.subscriptions()));
    }
}
