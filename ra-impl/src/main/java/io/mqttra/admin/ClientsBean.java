package io.mqttra.admin;

import io.mqttra.api.management.ClientDetails;
import io.mqttra.api.management.ClientInfo;
import io.mqttra.api.management.ClientsMXBean;
import io.mqttra.api.management.SubscriptionInfo;
import io.mqttra.broker.MqttBroker;
import io.mqttra.broker.SessionAdministration;
import io.mqttra.broker.SessionSnapshot;
import io.mqttra.broker.Subscription;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** {@link ClientsMXBean}: the broker's sessions through {@link SessionAdministration}. */
final class ClientsBean implements ClientsMXBean {

    private final MqttBroker broker;
    private final SessionAdministration sessions;

    ClientsBean(MqttBroker broker) {
        this.broker = broker;
        this.sessions = broker.sessionAdministration();
    }

    @Override
    public int getConnectedCount() {
        return broker.connectedClients();
    }

    @Override
    public int getSessionCount() {
        return broker.sessionCount();
    }

    @Override
    public ClientInfo[] list(String match, boolean connectedOnly, int offset, int limit) {
        Page page = new Page(offset, limit);
        Predicate<SessionSnapshot> matching = matcher(match);
        Predicate<SessionSnapshot> filter = connectedOnly ? matching == null ? SessionSnapshot::connected
                : s -> s.connected() && matching.test(s) : matching;
        List<SessionSnapshot> found = sessions.sessions(filter, page.offset(), page.limit());
        OperationLog.queried("listed clients matching '" + match + "' (" + found.size() + " on the page)");
        return found.stream().map(ClientsBean::info).toArray(ClientInfo[]::new);
    }

    /** {@code *} and {@code ?} as in a shell, against the client id, the user name or the address; null: all. */
    static Predicate<SessionSnapshot> matcher(String match) {
        if (match == null || match.isEmpty() || match.equals("*")) {
            return null;
        }
        StringBuilder regex = new StringBuilder();
        for (String part : match.split("(?=[*?])|(?<=[*?])")) {
            regex.append(part.equals("*") ? ".*" : part.equals("?") ? "." : Pattern.quote(part));
        }
        Pattern p = Pattern.compile(regex.toString());
        return s -> p.matcher(s.clientId()).matches() || (s.userName() != null && p.matcher(s.userName()).matches())
                || (s.address() != null && p.matcher(s.address()).matches());
    }

    @Override
    public ClientDetails details(String clientId) {
        SessionSnapshot s = sessions.session(require(clientId));
        OperationLog.queried("read the details of client '" + clientId + "'");
        if (s == null) {
            return null;
        }
        SubscriptionInfo[] subscriptions = s.subscriptions().stream()
                .sorted(Comparator.comparing(Subscription::key))
                .map(ClientsBean::info).toArray(SubscriptionInfo[]::new);
        return new ClientDetails(info(s), subscriptions);
    }

    @Override
    public boolean disconnect(String clientId) {
        boolean connected = sessions.disconnect(require(clientId));
        OperationLog.changed(connected ? "disconnected client '" + clientId + "' (administrative action)"
                : "asked to disconnect client '" + clientId + "', which is not connected");
        return connected;
    }

    @Override
    public boolean deleteSession(String clientId) {
        boolean existed = sessions.delete(require(clientId));
        OperationLog.changed(existed ? "deleted the session of client '" + clientId + "'"
                : "asked to delete the session of client '" + clientId + "', which has none");
        return existed;
    }

    private static String require(String clientId) {
        if (clientId == null || clientId.isEmpty()) {
            throw new IllegalArgumentException("clientId is required");
        }
        return clientId;
    }

    static ClientInfo info(SessionSnapshot s) {
        return new ClientInfo(s.clientId(), s.connected(), s.userName(), s.address(), s.listener(), s.protocolLevel(),
                s.connectedSince() == 0 ? null : new Date(s.connectedSince()), s.keepAliveSeconds(), s.expirySeconds(),
                s.inflight(), s.queued(), s.subscriptions().size());
    }

    static SubscriptionInfo info(Subscription s) {
        return new SubscriptionInfo(s.filter(), s.shareGroup(), s.qos(), s.noLocal(), s.retainAsPublished(),
                s.retainHandling(), s.subscriptionId());
    }
}
