package io.mqttra.it.inbound;

import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import org.jboss.ejb3.annotation.ResourceAdapter;

/** Takes 50 ms per message with maxSessions=5 and no ordering (one topic, five at once), and records order and how many ran at once. */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/parallel"),
    @ActivationConfigProperty(propertyName = "maxSessions", propertyValue = "5"),
    @ActivationConfigProperty(propertyName = "ordering", propertyValue = "NONE"),
    @ActivationConfigProperty(propertyName = "bodyType", propertyValue = "TEXT"),
})
@ResourceAdapter("mqtt-ra.rar")
@PermitAll
public class ParallelMdb implements MessageListener {

    @EJB
    private Concurrency concurrency;

    @Override
    public void onMessage(Message message) {
        try {
            concurrency.enter("it/parallel", message.getBody(String.class));
            Thread.sleep(50);
        } catch (JMSException | InterruptedException e) {
            throw new IllegalStateException(e);
        } finally {
            concurrency.leave("it/parallel");
        }
    }
}
