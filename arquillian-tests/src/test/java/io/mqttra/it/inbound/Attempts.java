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

    public void add(Attempt a) {
        attempts.add(a);
    }

    public List<Attempt> of(String bean, String payload) {
        return attempts.stream().filter(a -> a.bean().equals(bean) && a.payload().equals(payload)).toList();
    }

    public List<Attempt> ofBeanPrefix(String prefix) {
        return attempts.stream().filter(a -> a.bean().startsWith(prefix)).toList();
    }

    public void clear() {
        attempts.clear();
    }
}
