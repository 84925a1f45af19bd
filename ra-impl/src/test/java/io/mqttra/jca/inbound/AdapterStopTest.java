package io.mqttra.jca.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.broker.PublishedMessage;
import io.mqttra.jca.MqttActivationSpec;
import io.mqttra.jca.MqttResourceAdapter;
import jakarta.resource.spi.work.WorkManager;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** A server may stop the adapter while beans are still active: what they had queued is not lost silently. */
class AdapterStopTest {

    @Test
    void stoppingTheAdapterCountsWhatANonDurableBeanHadQueued() throws Exception {
        ExecutorService threads = Executors.newCachedThreadPool();
        WorkManager works = new ExecutorWorkManager(threads);
        CountDownLatch inBean = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FakeEndpointFactory bean = FakeEndpointFactory.jms(m -> {
            inBean.countDown();
            release.await(30, TimeUnit.SECONDS);
        });
        MqttResourceAdapter ra = new MqttResourceAdapter();
        ra.setAuthentication("anonymous");
        ra.setListeners("tcp://127.0.0.1:0");
        ra.setPersistence(false);
        ra.start(new TestBootstrapContext(works));
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger adapterLog = Logger.getLogger(MqttResourceAdapter.class.getName());
        adapterLog.addHandler(capture);
        try {
            MqttActivationSpec spec = new MqttActivationSpec();
            spec.setTopicFilter("orders/#");
            spec.setQos(1);
            spec.setMaxSessions(1);
            ra.endpointActivation(bean, spec);
            for (int i = 0; i < 5; i++) {
                ra.broker().publish(new PublishedMessage("orders/" + i, "o".getBytes(StandardCharsets.UTF_8), 1, false, "shop",
                        "clerk", System.currentTimeMillis(), PublishedMessage.Mqtt5Properties.NONE));
            }
            assertTrue(inBean.await(10, TimeUnit.SECONDS), "the first message reached the bean");
            threads.submit(() -> {
                Thread.sleep(300); // stop() waits for the delivery in progress
                release.countDown();
                return null;
            });
            ra.stop();
        } finally {
            adapterLog.removeHandler(capture);
            release.countDown();
            threads.shutdownNow();
        }
        assertEquals(1, warnings.stream().filter(r -> r.getMessage().contains("deactivated with 4 undelivered message(s)")).count(),
                "logged: " + warnings.stream().map(LogRecord::getMessage).toList());
    }
}
