package io.mqttra.it.inbound;

import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import org.jboss.ejb3.annotation.ResourceAdapter;

/** Much slower than its publisher, with room for 5 waiting messages. */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/bounded"),
    @ActivationConfigProperty(propertyName = "maxSessions", propertyValue = "1"),
    @ActivationConfigProperty(propertyName = "maxQueued", propertyValue = "5"),
    @ActivationConfigProperty(propertyName = "bodyType", propertyValue = "TEXT"),
})
@ResourceAdapter("mqtt-ra.rar")
@PermitAll
public class SlowBoundedMdb implements MessageListener {

    @EJB
    private Concurrency concurrency;

    @Override
    public void onMessage(Message message) {
        try {
            concurrency.enter("it/bounded", message.getBody(String.class));
            Thread.sleep(200);
        } catch (JMSException | InterruptedException e) {
            throw new IllegalStateException(e);
        } finally {
            concurrency.leave("it/bounded");
        }
    }
}
