package io.mqttra.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mqttra.broker.MessageStore;
import io.mqttra.broker.PublishedMessage;
import io.mqttra.jca.inbound.ActivationSettings;
import io.mqttra.jca.inbound.DurableSubscriptions;
import io.mqttra.store.MvMessageStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dead letter is kept until someone takes it, even when nobody is subscribed to the dead-letter topic. */
class DeadLettersKeptTest {

    @TempDir
    Path data;

    @Test
    void aDeadLetterWithNobodySubscribedIsKeptAcrossARestart() throws Exception {
        MqttResourceAdapter ra = new MqttResourceAdapter();
        ra.setAuthentication("anonymous");
        ra.setListeners("tcp://127.0.0.1:0");
        ra.setDataDirectory(data.toString());
        ra.start(null);
        try {
            ra.broker().publish(new PublishedMessage(ActivationSettings.DEFAULT_DEAD_LETTER_TOPIC,
                    "failed order".getBytes(StandardCharsets.UTF_8), 1, false, "shop", "clerk", System.currentTimeMillis(),
                    PublishedMessage.Mqtt5Properties.NONE));
        } finally {
            ra.stop();
        }
        MessageStore store = MvMessageStore.open(data);
        try {
            String name = DurableSubscriptions.deadLetterSubscription(ActivationSettings.DEFAULT_DEAD_LETTER_TOPIC);
            List<String> kept = store.queues().stream().filter(q -> q.name().equals(name))
                    .flatMap(q -> q.messages().stream())
                    .map(m -> new String(m.message().payload(), StandardCharsets.UTF_8)).toList();
            assertEquals(List.of("failed order"), kept);
        } finally {
            store.close();
        }
    }
}
