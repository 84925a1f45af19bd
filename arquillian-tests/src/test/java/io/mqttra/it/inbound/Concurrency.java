package io.mqttra.it.inbound;

import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Arrival order and the most deliveries seen running at once, per topic. */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@PermitAll
public class Concurrency {

    private final Map<String, List<String>> order = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> peak = new ConcurrentHashMap<>();

    public void enter(String topic, String payload) {
        order.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(payload);
        int now = running.computeIfAbsent(topic, t -> new AtomicInteger()).incrementAndGet();
        peak.computeIfAbsent(topic, t -> new AtomicInteger()).accumulateAndGet(now, Math::max);
    }

    public void leave(String topic) {
        running.get(topic).decrementAndGet();
    }

    public List<String> order(String topic) {
        return List.copyOf(order.getOrDefault(topic, List.of()));
    }

    public int peak(String topic) {
        return peak.getOrDefault(topic, new AtomicInteger()).get();
    }
}
