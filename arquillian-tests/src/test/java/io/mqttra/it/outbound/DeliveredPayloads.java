package io.mqttra.it.outbound;

import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the outbound test MDBs received: every payload, duplicates kept, so tests can count both. */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@PermitAll
public class DeliveredPayloads {

    private final List<String> all = new CopyOnWriteArrayList<>();
    private final Set<String> distinct = ConcurrentHashMap.newKeySet();

    public void add(String payload) {
        all.add(payload);
        distinct.add(payload);
    }

    public int count() {
        return all.size();
    }

    public int distinctCount() {
        return distinct.size();
    }

    public boolean contains(String payload) {
        return distinct.contains(payload);
    }

    public void clear() {
        all.clear();
        distinct.clear();
    }
}
