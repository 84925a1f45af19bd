package io.mqttra.it.outbound;

import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import org.jboss.ejb3.annotation.ResourceAdapter;

/** Counts what the pooled senders published: an in-server subscriber, so nothing is lost to a slow socket. */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/pool/#"),
    @ActivationConfigProperty(propertyName = "qos", propertyValue = "1"),
    @ActivationConfigProperty(propertyName = "bodyType", propertyValue = "TEXT"),
    @ActivationConfigProperty(propertyName = "maxQueued", propertyValue = "20000"), // 20 senders may outrun the bean
})
@ResourceAdapter("mqtt-ra.rar")
@PermitAll
public class PoolCountingMdb implements MessageListener {

    @EJB
    private DeliveredPayloads delivered;

    @Override
    public void onMessage(Message message) {
        try {
            delivered.add(message.getBody(String.class));
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
