package io.mqttra.bench.mdb;

import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/**
 * The plain bean on a durable subscription: each QoS 1 message is written to the adapter's message store
 * before its publisher gets PUBACK, so the difference from {@link PlainMdb} is the store's cost, and
 * between the brokers {@code wildfly} and {@code wildfly-sync} that of forcing it to the device.
 */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "bench/mdb/durable/#"),
    @ActivationConfigProperty(propertyName = "qos", propertyValue = "1"),
    @ActivationConfigProperty(propertyName = "subscriptionDurability", propertyValue = "Durable"),
    @ActivationConfigProperty(propertyName = "subscriptionName", propertyValue = "bench-durable"),
    @ActivationConfigProperty(propertyName = "maxSessions", propertyValue = "4"),
    @ActivationConfigProperty(propertyName = "maxQueued", propertyValue = "1000000"),
})
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
@PermitAll
public class DurableMdb implements MessageListener {

    @Override
    public void onMessage(Message message) {
        BenchCounters.readAndCount(message, "durable");
    }
}
