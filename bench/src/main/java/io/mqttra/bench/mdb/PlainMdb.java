package io.mqttra.bench.mdb;

import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/** Non-transacted: reads the body and counts it; the message is settled when onMessage returns. */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "bench/mdb/plain/#"),
    @ActivationConfigProperty(propertyName = "qos", propertyValue = "1"),
    @ActivationConfigProperty(propertyName = "maxSessions", propertyValue = "4"),
    @ActivationConfigProperty(propertyName = "maxQueued", propertyValue = "1000000"),
})
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
@PermitAll
public class PlainMdb implements MessageListener {

    @Override
    public void onMessage(Message message) {
        BenchCounters.readAndCount(message, "plain");
    }
}
