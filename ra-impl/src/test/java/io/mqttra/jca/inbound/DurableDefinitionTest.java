package io.mqttra.jca.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mqttra.broker.Subscription;
import io.mqttra.jms.MessageSelector;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A durable subscription's stored definition: the string map on disk is read and written with the same keys. */
class DurableDefinitionTest {

    @Test
    void aDefinitionSurvivesTheRoundTripThroughTheStoredMap() {
        DurableDefinition d = new DurableDefinition("orders/#", "shop", 2, Subscription.SEND_RETAINED, "total > 10", true, 3600,
                1_700_000_000_000L);
        assertEquals(d, DurableDefinition.fromMap(d.toMap()));
        assertEquals(Map.of("filter", "orders/#", "shareName", "shop", "qos", "2", "retainHandling", "0", "selector", "total > 10",
                "noLocal", "true", "expirySeconds", "3600", "detachedAt", "1700000000000"), d.toMap(), "the on-disk keys");
    }

    @Test
    void aDefinitionWrittenBeforeSomeKeysExistedStillLoads() {
        DurableDefinition d = DurableDefinition.fromMap(Map.of("filter", "orders/#", "qos", "1"));
        assertEquals(new DurableDefinition("orders/#", null, 1, Subscription.SEND_RETAINED, "", false, 0, null), d);
        assertFalse(d.toMap().containsKey("shareName"));
        assertFalse(d.toMap().containsKey("detachedAt"));
    }

    @Test
    void theSelectorAndNoLocalDecideWhetherABeanReusesTheSubscriptionButRetainHandlingAndExpiryDoNot() throws Exception {
        ActivationSettings.Builder settings = ActivationSettings.forFilter("orders/#").qos(1)
                .selector(MessageSelector.parse("total > 10")).durable("shop/orders", 60);
        DurableDefinition stored = DurableDefinition.of(settings.build()).recovered();
        assertEquals(Subscription.NO_RETAINED, stored.retainHandling(), "retained messages went out when it was new");
        assertNull(stored.detachedAt());
        assertTrue(stored.sameSubscriptionAs(DurableDefinition.of(settings.deliverRetained(true).durable("shop/orders", 5).build())));
        assertFalse(stored.sameSubscriptionAs(DurableDefinition.of(settings.noLocal(true).build())));
        assertFalse(stored.sameSubscriptionAs(DurableDefinition.of(settings.noLocal(false).selector(null).build())));
        assertFalse(stored.sameSubscriptionAs(DurableDefinition.of(settings.qos(2).build())));
    }
}
