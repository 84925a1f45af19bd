package io.mqttra.it.badfilter;

import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import org.jboss.ejb3.annotation.ResourceAdapter;

/** An MDB whose topic filter is not a valid MQTT filter ('#' must be the last level). */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "sensors/#/temperature"),
})
@ResourceAdapter("mqtt-ra.rar")
@PermitAll
public class BadFilterMdb implements MessageListener {

    @Override
    public void onMessage(Message message) {
        throw new AssertionError("never activated");
    }
}
