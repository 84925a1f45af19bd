package io.mqttra.it.app;

import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** What the test MDBs received, per bean, for the in-container tests to assert on. */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@PermitAll
public class ReceivedMessages {

    private final ConcurrentHashMap<String, BlockingQueue<ReceivedMessage>> byBean = new ConcurrentHashMap<>();

    public void record(String bean, ReceivedMessage message) {
        queue(bean).add(message);
    }

    /** The next message the bean received, waiting up to {@code seconds}; {@code null} when none came. */
    public ReceivedMessage next(String bean, long seconds) throws InterruptedException {
        return queue(bean).poll(seconds, TimeUnit.SECONDS);
    }

    public void clear() {
        byBean.clear();
    }

    private BlockingQueue<ReceivedMessage> queue(String bean) {
        return byBean.computeIfAbsent(bean, b -> new LinkedBlockingQueue<>());
    }
}
