package io.mqttra.console;

import io.mqttra.api.management.ActivationMXBean;
import io.mqttra.api.management.BrokerMXBean;
import io.mqttra.api.management.ListenerInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The adapter's figures as metrics, read from its MXBeans at the moment of the scrape. The README's list of
 * metric names is this class.
 */
final class MetricsCatalog {

    private final ManagedBroker adapter;

    MetricsCatalog(ManagedBroker adapter) {
        this.adapter = adapter;
    }

    /** Every metric; empty when no adapter runs. */
    List<MetricFamily> read() {
        if (!adapter.running()) {
            return List.of(MetricFamily.of("mqttra_up", false, "1 while the adapter runs", 0));
        }
        BrokerMXBean b = adapter.broker();
        List<MetricFamily> all = new ArrayList<>(List.of(
                MetricFamily.of("mqttra_up", false, "1 while the adapter runs", 1),
                MetricFamily.of("mqttra_uptime_seconds", false, "Seconds since the broker started", b.getUptimeSeconds()),
                MetricFamily.of("mqttra_clients_connected", false, "Clients connected now", b.getConnectedClients()),
                MetricFamily.of("mqttra_sessions", false, "Client sessions, connected or not", b.getSessions()),
                MetricFamily.of("mqttra_subscriptions", false, "Subscriptions of all sessions and beans", b.getSubscriptions()),
                MetricFamily.of("mqttra_retained_messages", false, "Retained messages", b.getRetainedMessages()),
                MetricFamily.of("mqttra_retained_bytes", false, "Payload bytes of the retained messages", b.getRetainedBytes()),
                MetricFamily.of("mqttra_retained_refused", true, "Retained messages refused by a limit", b.getRetainedRefused()),
                MetricFamily.of("mqttra_messages_received", true, "PUBLISH packets received from clients", b.getMessagesReceived()),
                MetricFamily.of("mqttra_messages_sent", true, "PUBLISH packets sent to clients", b.getMessagesSent()),
                MetricFamily.of("mqttra_bytes_received", true, "Bytes received from clients", b.getBytesReceived()),
                MetricFamily.of("mqttra_bytes_sent", true, "Bytes sent to clients", b.getBytesSent()),
                MetricFamily.of("mqttra_messages_dropped", true, "Messages a limit dropped", b.getMessagesDropped()),
                MetricFamily.of("mqttra_connections", true, "Connections accepted", b.getConnectionsTotal()),
                MetricFamily.of("mqttra_connections_refused", true, "Connections a limit refused", b.getConnectionsRefused()),
                MetricFamily.of("mqttra_logins_refused", true, "Logins refused", b.getLoginsRefused()),
                MetricFamily.of("mqttra_publishes_denied", true, "Publishes the topic permissions denied", b.getPublishesDenied()),
                MetricFamily.of("mqttra_subscriptions_denied", true, "Subscriptions the topic permissions denied", b.getSubscriptionsDenied()),
                MetricFamily.of("mqttra_messages_received_per_second", false, "Messages received per second over the last rate interval", b.getMessagesReceivedPerSecond()),
                MetricFamily.of("mqttra_messages_sent_per_second", false, "Messages sent per second over the last rate interval", b.getMessagesSentPerSecond()),
                MetricFamily.of("mqttra_bytes_received_per_second", false, "Bytes received per second over the last rate interval", b.getBytesReceivedPerSecond()),
                MetricFamily.of("mqttra_bytes_sent_per_second", false, "Bytes sent per second over the last rate interval", b.getBytesSentPerSecond()),
                MetricFamily.of("mqttra_dead_letters", false, "Dead letters kept", adapter.deadLetters().getCount()),
                // per topic would be a series per topic: the figures per topic stay in the Topics MXBean
                MetricFamily.of("mqttra_topics_tracked", false, "Topics whose messages are counted one by one", adapter.topics().getCount()),
                MetricFamily.of("mqttra_topic_other_messages", true, "Messages on topics beyond maxTrackedTopics", adapter.topics().getOtherMessages())));
        all.add(listeners(b.getListeners()));
        all.addAll(activations(adapter.activations()));
        return all;
    }

    private static MetricFamily listeners(ListenerInfo[] listeners) {
        List<MetricFamily.Sample> samples = new ArrayList<>();
        for (ListenerInfo l : listeners) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("listener", l.name());
            labels.put("address", l.address());
            labels.put("transport", l.transport());
            samples.add(new MetricFamily.Sample(labels, l.connections()));
        }
        return new MetricFamily("mqttra_listener_connections", false, "Open connections per listener", samples);
    }

    private static List<MetricFamily> activations(List<ActivationMXBean> beans) {
        return List.of(
                perBean(beans, "mqttra_activation_queued", false, "Messages queued for the bean", ActivationMXBean::getQueued),
                perBean(beans, "mqttra_activation_inflight", false, "Deliveries into the bean in progress", ActivationMXBean::getInFlight),
                perBean(beans, "mqttra_activation_delivered", true, "Messages the bean processed", ActivationMXBean::getDelivered),
                perBean(beans, "mqttra_activation_redelivered", true, "Redeliveries into the bean", ActivationMXBean::getRedelivered),
                perBean(beans, "mqttra_activation_dead_lettered", true, "Messages the bean failed that went to a dead-letter topic", ActivationMXBean::getDeadLettered),
                perBean(beans, "mqttra_activation_dropped", true, "Messages dropped from the bean's queue by a limit", ActivationMXBean::getDropped),
                perBean(beans, "mqttra_activation_paused", false, "1 while the bean's delivery is paused", a -> "PAUSED".equals(a.getState()) ? 1 : 0));
    }

    private static MetricFamily perBean(List<ActivationMXBean> beans, String name, boolean counter, String help,
                                        ToDoubleFunction<ActivationMXBean> value) {
        List<MetricFamily.Sample> samples = new ArrayList<>();
        for (ActivationMXBean a : beans) {
            samples.add(new MetricFamily.Sample(Map.of("bean", a.getBeanName()), value.applyAsDouble(a)));
        }
        return new MetricFamily(name, counter, help, samples);
    }
}
