package io.mqttra.it.durable;

import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import org.jboss.ejb3.annotation.ResourceAdapter;

/** One of two beans sharing the durable subscription "shared-durable" (shareName workers). */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/shared-durable/#"),
    @ActivationConfigProperty(propertyName = "subscriptionDurability", propertyValue = "Durable"),
    @ActivationConfigProperty(propertyName = "subscriptionName", propertyValue = "shared-durable"),
    @ActivationConfigProperty(propertyName = "shareName", propertyValue = "workers"),
    @ActivationConfigProperty(propertyName = "bodyType", propertyValue = "TEXT"),
})
@ResourceAdapter("mqtt-ra.rar")
@PermitAll
public class SharedDurableBMdb extends SharedDurableEcho {

    @Override
    String name() {
        return "B";
    }
}
