package io.mqttra.admin;

import io.mqttra.api.management.BrokerMXBean;
import io.mqttra.api.management.ListenerInfo;
import io.mqttra.broker.BrokerStats;
import io.mqttra.broker.MqttBroker;

/** {@link BrokerMXBean}: the broker's own counters (those {@code $SYS} publishes) and its listeners. */
final class BrokerBean implements BrokerMXBean {

    private final MqttBroker broker;
    private final BrokerStats stats;
    private final TrafficRates rates;

    BrokerBean(MqttBroker broker, TrafficRates rates) {
        this.broker = broker;
        this.stats = broker.stats();
        this.rates = rates;
    }

    @Override
    public String getVersion() {
        return MqttBroker.version();
    }

    @Override
    public long getStartTime() {
        return broker.startedAt();
    }

    @Override
    public long getUptimeSeconds() {
        return (System.currentTimeMillis() - broker.startedAt()) / 1000;
    }

    @Override
    public ListenerInfo[] getListeners() {
        return broker.listeners().stream().map(l -> new ListenerInfo(l.name(), l.address(), l.transport().name(),
                l.transport().isTls(), l.connections())).toArray(ListenerInfo[]::new);
    }

    @Override
    public int getConnectedClients() {
        return broker.connectedClients();
    }

    @Override
    public int getSessions() {
        return broker.sessionCount();
    }

    @Override
    public int getSubscriptions() {
        return broker.subscriptionCount();
    }

    @Override
    public int getRetainedMessages() {
        return broker.retained().size();
    }

    @Override
    public long getRetainedBytes() {
        return broker.retained().bytes();
    }

    @Override
    public long getRetainedRefused() {
        return broker.retained().refused();
    }

    @Override
    public long getMessagesReceived() {
        return stats.messagesReceived();
    }

    @Override
    public long getMessagesSent() {
        return stats.messagesSent();
    }

    @Override
    public long getBytesReceived() {
        return stats.bytesReceived();
    }

    @Override
    public long getBytesSent() {
        return stats.bytesSent();
    }

    @Override
    public long getMessagesDropped() {
        return stats.messagesDropped();
    }

    @Override
    public long getConnectionsTotal() {
        return stats.connectionsTotal();
    }

    @Override
    public long getConnectionsRefused() {
        return stats.connectionsRefused();
    }

    @Override
    public long getLoginsRefused() {
        return stats.loginsRefused();
    }

    @Override
    public long getPublishesDenied() {
        return stats.publishesDenied();
    }

    @Override
    public long getSubscriptionsDenied() {
        return stats.subscriptionsDenied();
    }

    @Override
    public double getMessagesReceivedPerSecond() {
        return rates.messagesReceivedPerSecond();
    }

    @Override
    public double getMessagesSentPerSecond() {
        return rates.messagesSentPerSecond();
    }

    @Override
    public double getBytesReceivedPerSecond() {
        return rates.bytesReceivedPerSecond();
    }

    @Override
    public double getBytesSentPerSecond() {
        return rates.bytesSentPerSecond();
    }

    @Override
    public int getRateIntervalSeconds() {
        return rates.intervalSeconds();
    }
}
