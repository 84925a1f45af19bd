package io.mqttra.broker;

import io.mqttra.broker.PublishedMessage.Mqtt5Properties;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Publishes the broker's state under {@code $SYS/broker/}, with Mosquitto's topic names so that
 * existing dashboards work. Messages are retained, so a new subscriber sees the current values at
 * once. Clients cannot publish to {@code $SYS} themselves.
 */
final class SysTopics {

    static final String PREFIX = "$SYS/";

    private final MqttBroker broker;

    SysTopics(MqttBroker broker) {
        this.broker = broker;
    }

    static boolean isSysTopic(String topic) {
        return topic.startsWith(PREFIX) || topic.equals("$SYS");
    }

    Map<String, String> values() {
        BrokerStats s = broker.stats();
        Map<String, String> v = new LinkedHashMap<>();
        v.put("$SYS/broker/version", "MQTT-RA " + MqttBroker.version());
        v.put("$SYS/broker/uptime", (System.currentTimeMillis() - broker.startedAt()) / 1000 + " seconds");
        v.put("$SYS/broker/clients/connected", String.valueOf(broker.connectedClients()));
        v.put("$SYS/broker/clients/total", String.valueOf(broker.sessionCount()));
        v.put("$SYS/broker/clients/disconnected", String.valueOf(broker.sessionCount() - broker.connectedClients()));
        v.put("$SYS/broker/connections/total", String.valueOf(s.connectionsTotal()));
        v.put("$SYS/broker/connections/refused", String.valueOf(s.connectionsRefused()));
        v.put("$SYS/broker/connections/refused/rate", String.valueOf(s.connectionsRateLimited()));
        v.put("$SYS/broker/connections/refused/sessions", String.valueOf(s.sessionsRefused()));
        v.put("$SYS/broker/connections/closed/receive maximum", String.valueOf(s.receiveMaximumExceeded()));
        v.put("$SYS/broker/connections/paused", String.valueOf(s.readsPaused()));
        v.put("$SYS/broker/security/logins/refused", String.valueOf(s.loginsRefused()));
        v.put("$SYS/broker/security/publishes/denied", String.valueOf(s.publishesDenied()));
        v.put("$SYS/broker/security/subscriptions/denied", String.valueOf(s.subscriptionsDenied()));
        v.put("$SYS/broker/messages/received", String.valueOf(s.messagesReceived()));
        v.put("$SYS/broker/messages/sent", String.valueOf(s.messagesSent()));
        v.put("$SYS/broker/messages/dropped", String.valueOf(s.messagesDropped()));
        v.put("$SYS/broker/bytes/received", String.valueOf(s.bytesReceived()));
        v.put("$SYS/broker/bytes/sent", String.valueOf(s.bytesSent()));
        v.put("$SYS/broker/subscriptions/count", String.valueOf(broker.router().subscriptionCount()));
        v.put("$SYS/broker/retained messages/count", String.valueOf(broker.router().retained().size()));
        v.put("$SYS/broker/retained messages/bytes", String.valueOf(broker.router().retained().bytes()));
        v.put("$SYS/broker/retained messages/refused", String.valueOf(broker.router().retained().refused()));
        return v;
    }

    void publish() {
        long now = System.currentTimeMillis();
        values().forEach((topic, value) -> broker.router().route(new PublishedMessage(topic,
                value.getBytes(StandardCharsets.UTF_8), 0, true, null, null, now, Mqtt5Properties.NONE)));
    }
}
