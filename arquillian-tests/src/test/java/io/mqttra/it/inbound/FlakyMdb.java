package io.mqttra.it.inbound;

import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import org.jboss.ejb3.annotation.ResourceAdapter;

/** Fails the first delivery of "flaky", and every delivery of "poison". */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/flaky"),
    @ActivationConfigProperty(propertyName = "bodyType", propertyValue = "TEXT"),
    @ActivationConfigProperty(propertyName = "maxRedeliveries", propertyValue = "2"),
    @ActivationConfigProperty(propertyName = "redeliveryDelay", propertyValue = "50"),
    @ActivationConfigProperty(propertyName = "deadLetterTopic", propertyValue = "it/dead-letters"),
})
@ResourceAdapter("mqtt-ra.rar")
@PermitAll
public class FlakyMdb implements MessageListener {

    @EJB
    private Attempts attempts;

    @Override
    public void onMessage(Message message) {
        try {
            String body = message.getBody(String.class);
            int count = message.getIntProperty("JMSXDeliveryCount");
            attempts.add(new Attempts.Attempt("flaky", body, count, message.getJMSRedelivered()));
            attempts.addMessageId("flaky", body, message.getJMSMessageID());
            if (body.equals("poison") || count == 1) {
                throw new IllegalStateException("cannot process " + body + " (attempt " + count + ")");
            }
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
