package io.mqttra.it.app;

import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import org.jboss.ejb3.annotation.ResourceAdapter;

/** A wildcard activation: temperatures of every room, nothing else. */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "sensors/+/temperature"),
    @ActivationConfigProperty(propertyName = "qos", propertyValue = "1"),
})
@ResourceAdapter("mqtt-ra.rar")
@PermitAll
public class TemperatureMdb implements MessageListener {

    public static final String NAME = "temperature";

    @EJB
    private ReceivedMessages received;

    @Override
    public void onMessage(Message message) {
        try {
            received.record(NAME, ReceivedMessage.of(message));
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
