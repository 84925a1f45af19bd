package io.mqttra.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mqttra.broker.MessageStore;
import io.mqttra.store.MvMessageStore;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart must not open a window in which a client's QoS 1 publish is acknowledged but misses the
 * durable subscriptions kept from before: devices that reconnect the moment a server is back meet
 * exactly that window. The listener opens only once they are subscribed again.
 */
class StartupOrderTest {

    @TempDir
    Path data;

    @Test
    void aPublishTheMomentTheListenerIsUpReachesTheRecoveredDurableSubscription() throws Exception {
        MessageStore before = MvMessageStore.open(data);
        before.defineQueue("kept-from-before", Map.of("filter", "startup/#", "qos", "1", "expirySeconds", "0"));
        before.close();

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        MqttResourceAdapter ra = new MqttResourceAdapter();
        ra.setAuthentication("anonymous");
        ra.setListeners("tcp://127.0.0.1:" + port);
        ra.setDataDirectory(data.toString());
        // publishes as soon as the listener says it is up, on the starting thread, before start() goes on
        AtomicReference<Exception> publishFailed = new AtomicReference<>();
        Logger brokerLog = Logger.getLogger("io.mqttra.broker.MqttBroker");
        Handler publishAtListenerUp = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage() != null && record.getMessage().startsWith("MQTT-RA listener up")) {
                    try {
                        MqttClient device = new MqttClient("tcp://127.0.0.1:" + port, "early-device", new MemoryPersistence());
                        device.connect();
                        device.publish("startup/reading", "first".getBytes(StandardCharsets.UTF_8), 1, false);
                        device.disconnect();
                        device.close();
                    } catch (Exception e) {
                        publishFailed.set(e);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        brokerLog.addHandler(publishAtListenerUp);
        try {
            ra.start(null);
        } finally {
            brokerLog.removeHandler(publishAtListenerUp);
        }
        ra.stop();
        assertNull(publishFailed.get(), "the early device could publish");

        MessageStore after = MvMessageStore.open(data);
        try {
            List<String> kept = after.queues().stream().filter(q -> q.name().equals("kept-from-before"))
                    .flatMap(q -> q.messages().stream())
                    .map(m -> new String(m.message().payload(), StandardCharsets.UTF_8)).toList();
            assertEquals(List.of("first"), kept, "the acknowledged publish is in the durable subscription's queue");
        } finally {
            after.close();
        }
    }
}
