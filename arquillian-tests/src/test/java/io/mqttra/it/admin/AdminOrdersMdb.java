package io.mqttra.it.admin;

import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import org.jboss.ejb3.annotation.ResourceAdapter;

/** Processes orders, and fails those whose body starts with "poison" until {@link OrdersState#CURED}: they end as dead letters. */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/admin/orders/#"),
    @ActivationConfigProperty(propertyName = "bodyType", propertyValue = "TEXT"),
    @ActivationConfigProperty(propertyName = "maxRedeliveries", propertyValue = "1"),
    @ActivationConfigProperty(propertyName = "redeliveryDelay", propertyValue = "50"),
    @ActivationConfigProperty(propertyName = "deadLetterTopic", propertyValue = "it/admin/dead-letters"),
})
@ResourceAdapter("mqtt-ra.rar")
@PermitAll
public class AdminOrdersMdb implements MessageListener {

    @Override
    public void onMessage(Message message) {
        try {
            String body = message.getBody(String.class);
            if (body.startsWith("poison") && !OrdersState.CURED.get()) {
                throw new IllegalStateException("cannot process " + body);
            }
            OrdersState.PROCESSED.add(body);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
