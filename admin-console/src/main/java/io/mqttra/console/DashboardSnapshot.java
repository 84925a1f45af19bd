package io.mqttra.console;

import io.mqttra.api.management.ActivationMXBean;
import io.mqttra.api.management.BrokerMXBean;
import io.mqttra.api.management.ClientInfo;
import io.mqttra.api.management.DeadLetterInfo;
import io.mqttra.api.management.ListenerInfo;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.Date;

/** What the dashboard shows at one moment, as JSON, read from the MXBeans. */
final class DashboardSnapshot {

    /** Rows per table: the page says when there are more. */
    static final int ROWS = 200;

    private final ManagedBroker adapter;

    DashboardSnapshot(ManagedBroker adapter) {
        this.adapter = adapter;
    }

    JsonObject read() {
        JsonObjectBuilder o = Json.createObjectBuilder().add("time", System.currentTimeMillis());
        if (!adapter.running()) {
            return o.add("running", false).build();
        }
        BrokerMXBean b = adapter.broker();
        return o.add("running", true)
                .add("broker", broker(b))
                .add("listeners", listeners(b.getListeners()))
                .add("clients", clients(adapter.clients().list("", false, 0, ROWS)))
                .add("activations", activations())
                .add("deadLetters", deadLetters(adapter.deadLetters().list("", 0, ROWS)))
                .build();
    }

    private static JsonObjectBuilder broker(BrokerMXBean b) {
        return Json.createObjectBuilder()
                .add("version", b.getVersion()).add("uptimeSeconds", b.getUptimeSeconds())
                .add("connectedClients", b.getConnectedClients()).add("sessions", b.getSessions())
                .add("subscriptions", b.getSubscriptions()).add("retainedMessages", b.getRetainedMessages())
                .add("retainedBytes", b.getRetainedBytes())
                .add("messagesReceived", b.getMessagesReceived()).add("messagesSent", b.getMessagesSent())
                .add("bytesReceived", b.getBytesReceived()).add("bytesSent", b.getBytesSent())
                .add("messagesDropped", b.getMessagesDropped()).add("connectionsRefused", b.getConnectionsRefused())
                .add("messagesReceivedPerSecond", b.getMessagesReceivedPerSecond())
                .add("messagesSentPerSecond", b.getMessagesSentPerSecond())
                .add("rateIntervalSeconds", b.getRateIntervalSeconds());
    }

    private static JsonArrayBuilder listeners(ListenerInfo[] listeners) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (ListenerInfo l : listeners) {
            a.add(Json.createObjectBuilder().add("name", l.name()).add("address", l.address())
                    .add("transport", l.transport()).add("tls", l.tls()).add("connections", l.connections()));
        }
        return a;
    }

    private static JsonArrayBuilder clients(ClientInfo[] clients) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (ClientInfo c : clients) {
            a.add(Json.createObjectBuilder().add("clientId", c.clientId()).add("connected", c.connected())
                    .add("user", text(c.userName())).add("address", text(c.address())).add("listener", text(c.listener()))
                    .add("protocolLevel", c.protocolLevel()).add("since", time(c.connectedSince()))
                    .add("keepAlive", c.keepAliveSeconds()).add("inflight", c.inflight()).add("queued", c.queued())
                    .add("subscriptions", c.subscriptions()));
        }
        return a;
    }

    private JsonArrayBuilder activations() {
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (ActivationMXBean m : adapter.activations()) {
            a.add(Json.createObjectBuilder().add("bean", m.getBeanName()).add("filter", m.getTopicFilter())
                    .add("shareName", text(m.getShareName())).add("qos", m.getQos()).add("durable", m.isDurable())
                    .add("state", m.getState()).add("queued", m.getQueued()).add("inflight", m.getInFlight())
                    .add("delivered", m.getDelivered()).add("redelivered", m.getRedelivered())
                    .add("deadLettered", m.getDeadLettered()).add("dropped", m.getDropped())
                    .add("lastError", text(m.getLastError())));
        }
        return a;
    }

    private static JsonArrayBuilder deadLetters(DeadLetterInfo[] letters) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (DeadLetterInfo d : letters) {
            a.add(Json.createObjectBuilder().add("messageId", d.messageId()).add("deadLetterTopic", d.deadLetterTopic())
                    .add("originalTopic", text(d.originalTopic())).add("consumer", text(d.consumer()))
                    .add("failureReason", text(d.failureReason())).add("deliveryCount", d.deliveryCount())
                    .add("bytes", d.payloadBytes()).add("at", time(d.deadLetteredAt())));
        }
        return a;
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private static long time(Date d) {
        return d == null ? 0 : d.getTime();
    }
}
