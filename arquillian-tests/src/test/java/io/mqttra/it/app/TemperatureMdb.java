package io.mqttra.it.app;

import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import org.jboss.ejb3.annotation.ResourceAdapter;

/**
 * A wildcard activation: temperatures of every room, nothing else. One message at a time in arrival
 * order, so that a later message proves an earlier one was not delivered (MdbDeliveryIT's markers).
 */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "sensors/+/temperature"),
    @ActivationConfigProperty(propertyName = "qos", propertyValue = "1"),
    @ActivationConfigProperty(propertyName = "maxSessions", propertyValue = "1"),
})
@ResourceAdapter("mqtt-ra.rar")
@PermitAll
public class TemperatureMdb extends RecordingListener {

    public static final String NAME = "temperature";

    @Override
    protected String name() {
        return NAME;
    }
}
