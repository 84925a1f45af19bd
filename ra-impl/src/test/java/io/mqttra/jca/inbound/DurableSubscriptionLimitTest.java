package io.mqttra.jca.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mqttra.broker.Delivery;
import io.mqttra.broker.MessageStore.StoredMessage;
import io.mqttra.broker.PublishedMessage;
import io.mqttra.broker.Subscription;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a durable subscription keeps while no bean uses it. KillNineIT found a message acknowledged to its
 * publisher missing from the bean's database: after a crash the subscription came back with 2,071 messages
 * from the store, more than the 1,000 it keeps without a bean, so the first new message published before the
 * bean was deployed again was dropped after its PUBACK. The limit bounds what arrives without a bean.
 */
class DurableSubscriptionLimitTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void aBacklogRecoveredFromTheStoreDoesNotCountAgainstTheLimit() {
        DurableSubscription durable = subscription(3);
        List<StoredMessage> backlog = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            backlog.add(new StoredMessage(i, message("recovered-" + i), 1, false, 2, "id-" + i));
        }
        durable.recover(backlog);

        // in memory only (no store here), so what is kept is what the subscription holds
        for (int i = 0; i < 3; i++) {
            deliver(durable, "new-" + i);
            assertEquals(6 + i, durable.keptMessages().size(), "new message " + i + " is kept besides the 5 recovered");
        }
        deliver(durable, "one-too-many");
        assertEquals(8, durable.keptMessages().size(), "the fourth message without a bean is beyond the limit of 3");
        assertEquals("recovered-1", payload(durable.keptMessages().get(0)), "the backlog goes first");
        assertEquals("new-2", payload(durable.keptMessages().get(7)));
    }

    private DurableSubscription subscription(int maxKept) {
        DurableDefinition definition = new DurableDefinition("it/kill/#", null, 1, Subscription.SEND_RETAINED, "", false, 0, null);
        return new DurableSubscription("ledger", definition, maxKept, timer, () -> { }, null);
    }

    private static void deliver(DurableSubscription durable, String payload) {
        durable.deliverPersistently(message(payload), new Delivery(1, false, false, List.of()));
    }

    private static PublishedMessage message(String payload) {
        return new PublishedMessage("it/kill/x", payload.getBytes(StandardCharsets.UTF_8), 1, false, "publisher", null,
                System.currentTimeMillis(), PublishedMessage.Mqtt5Properties.NONE);
    }

    private static String payload(StoredMessage m) {
        return new String(m.message().payload(), StandardCharsets.UTF_8);
    }
}
