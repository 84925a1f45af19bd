package io.mqttra.it.security;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import org.jboss.ejb3.annotation.ResourceAdapter;

/** Only for publishers with the role mqtt-admin: others' messages are refused by the container, retried, then dead-lettered. */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "guarded/#"),
    @ActivationConfigProperty(propertyName = "maxSessions", propertyValue = "1"),
    @ActivationConfigProperty(propertyName = "maxRedeliveries", propertyValue = "1"),
    @ActivationConfigProperty(propertyName = "redeliveryDelay", propertyValue = "100"),
})
@ResourceAdapter("mqtt-ra.rar")
@RolesAllowed("mqtt-admin")
public class GuardedMdb extends CallerRecording {

    public static final String NAME = "guarded";

    @Override
    protected String name() {
        return NAME;
    }
}
