package io.mqttra.admin;

import io.mqttra.api.management.DeadLetterInfo;
import io.mqttra.api.management.DeadLettersMXBean;
import io.mqttra.broker.MessageStore.StoredMessage;
import io.mqttra.broker.MqttBroker;
import io.mqttra.broker.PublishedMessage;
import io.mqttra.jca.inbound.DeadLetter;
import io.mqttra.jca.inbound.DurableSubscriptions;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * {@link DeadLettersMXBean}: what the durable subscriptions {@code dead-letters:<topic>} keep. A replay
 * takes the message out first and publishes it; when the publish fails it is kept again, first in line.
 */
final class DeadLettersBean implements DeadLettersMXBean {

    private final DurableSubscriptions durables;
    private final MqttBroker broker;

    DeadLettersBean(DurableSubscriptions durables, MqttBroker broker) {
        this.durables = durables;
        this.broker = broker;
    }

    /** One kept dead letter and the topic it was kept for. */
    private record Kept(String deadLetterTopic, StoredMessage message) {
    }

    @Override
    public String[] getTopics() {
        return durables.deadLetterTopics().toArray(String[]::new);
    }

    @Override
    public int getCount() {
        return kept(null).size();
    }

    @Override
    public DeadLetterInfo[] list(String deadLetterTopic, int offset, int limit) {
        Page page = new Page(offset, limit);
        List<Kept> all = kept(deadLetterTopic);
        OperationLog.queried("listed dead letters" + of(deadLetterTopic) + " (" + all.size() + " kept)");
        return page.of(all).stream().map(DeadLettersBean::info).toArray(DeadLetterInfo[]::new);
    }

    @Override
    public boolean replay(String messageId) {
        Kept k = find(messageId);
        if (k == null) {
            OperationLog.changed("asked to replay dead letter " + messageId + ", which is not kept");
            return false;
        }
        if (DeadLetter.original(k.message().message(), 0) == null) {
            throw new IllegalArgumentException("dead letter " + messageId + " on " + k.deadLetterTopic()
                    + " has no user property " + DeadLetter.ORIGINAL_TOPIC + " to replay it to");
        }
        boolean replayed = take(k, messageId, true);
        OperationLog.changed(replayed ? "replayed dead letter " + messageId + " from " + k.deadLetterTopic() + " to "
                + DeadLetter.property(k.message().message(), DeadLetter.ORIGINAL_TOPIC)
                : "asked to replay dead letter " + messageId + ", which was taken meanwhile");
        return replayed;
    }

    @Override
    public int replayAll(String deadLetterTopic) {
        int replayed = 0;
        for (Kept k : kept(deadLetterTopic)) {
            if (DeadLetter.original(k.message().message(), 0) != null && take(k, k.message().messageId(), true)) {
                replayed++;
            }
        }
        OperationLog.changed("replayed " + replayed + " dead letter(s)" + of(deadLetterTopic));
        return replayed;
    }

    @Override
    public boolean delete(String messageId) {
        Kept k = find(messageId);
        boolean deleted = k != null && take(k, messageId, false);
        OperationLog.changed(deleted ? "deleted dead letter " + messageId + " from " + k.deadLetterTopic()
                : "asked to delete dead letter " + messageId + ", which is not kept");
        return deleted;
    }

    @Override
    public int purge(String deadLetterTopic) {
        int purged = 0;
        for (String topic : topics(deadLetterTopic)) {
            purged += durables.purgeKept(DurableSubscriptions.deadLetterSubscription(topic));
        }
        OperationLog.changed("purged " + purged + " dead letter(s)" + of(deadLetterTopic));
        return purged;
    }

    private boolean take(Kept k, String messageId, boolean replay) {
        try {
            return durables.takeKept(DurableSubscriptions.deadLetterSubscription(k.deadLetterTopic()), messageId, m -> {
                if (replay) {
                    broker.publish(DeadLetter.original(m.message(), System.currentTimeMillis()));
                }
            });
        } catch (RuntimeException e) {
            // a JDK exception with the message only: a JMX client has none of the broker's classes
            String what = replay ? "replay" : "delete";
            OperationLog.changed("could not " + what + " dead letter " + messageId + ", which stays kept: " + e);
            throw new IllegalStateException("could not " + what + " dead letter " + messageId + ", which stays kept: "
                    + e.getMessage());
        }
    }

    private Kept find(String messageId) {
        if (messageId == null || messageId.isEmpty()) {
            throw new IllegalArgumentException("messageId is required");
        }
        return kept(null).stream().filter(k -> messageId.equals(k.message().messageId())).findFirst().orElse(null);
    }

    private List<String> topics(String deadLetterTopic) {
        return deadLetterTopic == null || deadLetterTopic.isEmpty() ? durables.deadLetterTopics() : List.of(deadLetterTopic);
    }

    private List<Kept> kept(String deadLetterTopic) {
        List<Kept> all = new ArrayList<>();
        for (String topic : topics(deadLetterTopic)) {
            durables.keptMessages(DurableSubscriptions.deadLetterSubscription(topic)).forEach(m -> all.add(new Kept(topic, m)));
        }
        return all;
    }

    private static String of(String deadLetterTopic) {
        return deadLetterTopic == null || deadLetterTopic.isEmpty() ? "" : " of " + deadLetterTopic;
    }

    private static DeadLetterInfo info(Kept k) {
        PublishedMessage m = k.message().message();
        String count = DeadLetter.property(m, DeadLetter.DELIVERY_COUNT);
        int deliveryCount;
        try {
            deliveryCount = count == null ? 0 : Integer.parseInt(count);
        } catch (NumberFormatException notOurs) {
            deliveryCount = 0;
        }
        return new DeadLetterInfo(k.message().messageId(), k.deadLetterTopic(), DeadLetter.property(m, DeadLetter.ORIGINAL_TOPIC),
                DeadLetter.property(m, DeadLetter.CONSUMER), DeadLetter.property(m, DeadLetter.FAILURE_REASON), deliveryCount,
                m.qos(), m.payload().length, m.publisherClientId(), m.publisherUserName(), new Date(m.timestamp()));
    }
}
