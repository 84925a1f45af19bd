package io.mqttra.it.app;

import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import org.jboss.ejb3.annotation.ResourceAdapter;

/**
 * An exact-topic activation at QoS 2 that uses the standard {@code destination} property instead of
 * {@code topicFilter}, and asks for text bodies. One message at a time in arrival order, so that a
 * later message proves an earlier one was not delivered (MdbDeliveryIT's markers).
 */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "destination", propertyValue = "plant/line1/commands"),
    @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Topic"),
    @ActivationConfigProperty(propertyName = "qos", propertyValue = "2"),
    @ActivationConfigProperty(propertyName = "bodyType", propertyValue = "TEXT"),
    @ActivationConfigProperty(propertyName = "maxSessions", propertyValue = "1"),
})
@ResourceAdapter("mqtt-ra.rar")
@PermitAll
public class CommandsMdb extends RecordingListener {

    public static final String NAME = "commands";

    @Override
    protected String name() {
        return NAME;
    }
}
