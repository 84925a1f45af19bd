package io.mqttra.it.inbound;

import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import org.jboss.ejb3.annotation.ResourceAdapter;

/** One of two beans sharing the subscription "workers" on it/jobs/#. */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/jobs/#"),
    @ActivationConfigProperty(propertyName = "shareName", propertyValue = "workers"),
    @ActivationConfigProperty(propertyName = "bodyType", propertyValue = "TEXT"),
})
@ResourceAdapter("mqtt-ra.rar")
@PermitAll
public class SharedWorkerB implements MessageListener {

    @EJB
    private Attempts attempts;

    @Override
    public void onMessage(Message message) {
        try {
            attempts.add(new Attempts.Attempt("worker-B", message.getBody(String.class), 1, false));
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
