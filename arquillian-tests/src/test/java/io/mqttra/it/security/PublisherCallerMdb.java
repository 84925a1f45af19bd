package io.mqttra.it.security;

import jakarta.annotation.security.DeclareRoles;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import org.jboss.ejb3.annotation.ResourceAdapter;

/** Runs as the MQTT publisher (runAsPublisher's default). */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "caller/#"),
    @ActivationConfigProperty(propertyName = "maxSessions", propertyValue = "1"),
})
@ResourceAdapter("mqtt-ra.rar")
@DeclareRoles({"device", "sensor", "mqtt-admin"})
@PermitAll
public class PublisherCallerMdb extends CallerRecording {

    public static final String NAME = "publisher-caller";

    @Override
    protected String name() {
        return NAME;
    }
}
