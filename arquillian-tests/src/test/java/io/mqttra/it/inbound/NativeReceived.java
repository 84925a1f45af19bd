package io.mqttra.it.inbound;

import io.mqttra.api.MqttMessage;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** What {@link NativeTelemetryMdb} received. */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@PermitAll
public class NativeReceived {

    private final BlockingQueue<MqttMessage> messages = new LinkedBlockingQueue<>();

    public void add(MqttMessage m) {
        messages.add(m);
    }

    public MqttMessage next(long seconds) throws InterruptedException {
        return messages.poll(seconds, TimeUnit.SECONDS);
    }
}
