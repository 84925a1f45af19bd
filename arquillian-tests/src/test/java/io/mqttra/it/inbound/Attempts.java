package io.mqttra.it.inbound;

import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every delivery attempt the test beans saw, with its redelivery headers. */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@PermitAll
public class Attempts {

    public record Attempt(String bean, String payload, int deliveryCount, boolean redelivered) {
    }

    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final List<String[]> messageIds = new CopyOnWriteArrayList<>();

    public void add(Attempt a) {
        attempts.add(a);
    }

    /** The JMSMessageID a bean saw at each attempt, for the beans that report it. */
    public void addMessageId(String bean, String payload, String messageId) {
        messageIds.add(new String[] {bean, payload, messageId});
    }

    public List<String> messageIdsOf(String bean, String payload) {
        return messageIds.stream().filter(m -> m[0].equals(bean) && m[1].equals(payload)).map(m -> m[2]).toList();
    }

    public List<Attempt> of(String bean, String payload) {
        return attempts.stream().filter(a -> a.bean().equals(bean) && a.payload().equals(payload)).toList();
    }

    public List<Attempt> ofBeanPrefix(String prefix) {
        return attempts.stream().filter(a -> a.bean().startsWith(prefix)).toList();
    }

    public void clear() {
        attempts.clear();
        messageIds.clear();
    }
}
