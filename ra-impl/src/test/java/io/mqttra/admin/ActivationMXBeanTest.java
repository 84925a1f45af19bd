package io.mqttra.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.api.management.ActivationMXBean;
import io.mqttra.jca.MqttActivationSpec;
import io.mqttra.jca.inbound.FakeEndpointFactory;
import io.mqttra.testing.Await;
import jakarta.jms.Message;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An activation's MXBean counts what became of its messages, and pauses and resumes its deliveries. */
class ActivationMXBeanTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private AdapterUnderTest adapter;
    private final List<String> processed = new CopyOnWriteArrayList<>();
    /** Fails the first delivery of "flaky" and every delivery of "poison". */
    private final FakeEndpointFactory bean = FakeEndpointFactory.jms(m -> {
        Message message = (Message) m;
        String body = message.getBody(String.class);
        if (body.equals("poison") || (body.equals("flaky") && message.getIntProperty("JMSXDeliveryCount") == 1)) {
            throw new IllegalStateException("cannot process " + body);
        }
        processed.add(body);
    });

    @BeforeEach
    void start() throws Exception {
        adapter = new AdapterUnderTest();
    }

    @AfterEach
    void stop() {
        adapter.close();
    }

    private ActivationMXBean activate(Integer maxQueued) throws Exception {
        MqttActivationSpec spec = new MqttActivationSpec();
        spec.setTopicFilter("orders/#");
        spec.setBodyType("TEXT");
        spec.setMaxSessions(1);
        spec.setMaxRedeliveries(1);
        spec.setRedeliveryDelay(10L);
        if (maxQueued != null) {
            spec.setMaxQueued(maxQueued);
        }
        adapter.activate(bean, spec);
        return adapter.activation(bean.getEndpointClass().getName(), ActivationMXBean.class);
    }

    @Test
    void theFiguresSayWhatBecameOfTheMessages() throws Exception {
        ActivationMXBean activation = activate(null);
        assertEquals("orders/#", activation.getTopicFilter());
        assertEquals(1, activation.getQos());
        assertFalse(activation.isDurable());
        assertNull(activation.getShareName());
        assertEquals("", activation.getSelector());
        assertEquals(1, activation.getMaxSessions());
        assertNull(activation.getLastError());

        adapter.publish("orders/1", "ok", 1, false);
        adapter.publish("orders/2", "flaky", 1, false);
        adapter.publish("orders/3", "poison", 1, false);
        Await.until(WAIT, "the poison to be dead-lettered", activation::getDeadLettered, n -> n == 1);
        Await.until(WAIT, "ok and flaky to be processed", activation::getDelivered, n -> n == 2);
        assertEquals(List.of("ok", "flaky"), processed);
        assertEquals(2, activation.getRedelivered(), "flaky once, poison once (maxRedeliveries 1)");
        assertTrue(activation.getLastError().contains("cannot process poison"), activation.getLastError());
        assertNotNull(activation.getLastErrorTime());
        assertEquals("ACTIVE", activation.getState());
        assertEquals(0, activation.getQueued());
        assertEquals(0, activation.getDropped());
    }

    @Test
    void aPausedBeanKeepsItsQueueAndResumeDeliversIt() throws Exception {
        ActivationMXBean activation = activate(null);
        activation.pause();
        assertEquals("PAUSED", activation.getState());
        for (int i = 0; i < 5; i++) {
            adapter.publish("orders/" + i, "ok " + i, 1, false);
        }
        assertEquals(5, activation.getQueued(), "queued while paused");
        assertEquals(0, activation.getDelivered());
        assertEquals(List.of(), processed);

        activation.resume();
        Await.until(WAIT, "the five to be delivered", activation::getDelivered, n -> n == 5);
        assertEquals(List.of("ok 0", "ok 1", "ok 2", "ok 3", "ok 4"), processed, "in order");
        assertEquals(0, activation.getQueued());
        assertEquals("ACTIVE", activation.getState());
    }

    @Test
    void aPausedBeansQueueStaysWithinItsBound() throws Exception {
        ActivationMXBean activation = activate(3);
        activation.pause();
        for (int i = 0; i < 5; i++) {
            adapter.publish("orders/" + i, "ok " + i, 1, false);
        }
        assertEquals(3, activation.getQueued(), "maxQueued");
        assertEquals(2, activation.getDropped(), "queueOverflow (DROP_NEW by default) dropped the rest");
        activation.resume();
        Await.until(WAIT, "the three kept to be delivered", activation::getDelivered, n -> n == 3);
    }
}
