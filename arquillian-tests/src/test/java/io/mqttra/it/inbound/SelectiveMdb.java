package io.mqttra.it.inbound;

import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import org.jboss.ejb3.annotation.ResourceAdapter;

/** Only Celsius readings sent at QoS 1 or 2. */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/select/#"),
    @ActivationConfigProperty(propertyName = "messageSelector", propertyValue = "unit = 'C' AND JMS_MQTT_QoS > 0"),
    @ActivationConfigProperty(propertyName = "bodyType", propertyValue = "TEXT"),
})
@ResourceAdapter("mqtt-ra.rar")
@PermitAll
public class SelectiveMdb implements MessageListener {

    @EJB
    private Attempts attempts;

    @Override
    public void onMessage(Message message) {
        try {
            attempts.add(new Attempts.Attempt("selective", message.getBody(String.class), 1, false));
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
