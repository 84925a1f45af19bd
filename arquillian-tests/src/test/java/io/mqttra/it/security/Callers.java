package io.mqttra.it.security;

import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Whom each test bean ran as, for SecurityIT to assert on. */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@PermitAll
public class Callers {

    /**
     * One delivery as the bean saw it.
     *
     * @param principal {@code getCallerPrincipal().getName()}
     * @param roles the roles among {@code device}, {@code sensor}, {@code mqtt-admin} that {@code isCallerInRole} confirmed
     * @param jmsxUserId the message's {@code JMSXUserID}
     */
    public record Call(String principal, java.util.Set<String> roles, String jmsxUserId, String topic) implements java.io.Serializable {
    }

    private final ConcurrentHashMap<String, BlockingQueue<Call>> byBean = new ConcurrentHashMap<>();

    public void record(String bean, Call call) {
        queue(bean).add(call);
    }

    public Call next(String bean, long seconds) throws InterruptedException {
        return queue(bean).poll(seconds, TimeUnit.SECONDS);
    }

    private BlockingQueue<Call> queue(String bean) {
        return byBean.computeIfAbsent(bean, b -> new LinkedBlockingQueue<>());
    }
}
