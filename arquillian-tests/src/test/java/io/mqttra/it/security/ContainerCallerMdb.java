package io.mqttra.it.security;

import jakarta.annotation.security.DeclareRoles;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import org.jboss.ejb3.annotation.ResourceAdapter;

/** Runs as the container's own identity, whoever published. */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "caller/#"),
    @ActivationConfigProperty(propertyName = "maxSessions", propertyValue = "1"),
    @ActivationConfigProperty(propertyName = "runAsPublisher", propertyValue = "false"),
})
@ResourceAdapter("mqtt-ra.rar")
@DeclareRoles({"device", "sensor", "mqtt-admin"})
@PermitAll
public class ContainerCallerMdb extends CallerRecording {

    public static final String NAME = "container-caller";

    @Override
    protected String name() {
        return NAME;
    }
}
