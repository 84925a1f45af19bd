package io.mqttra.it.security;

import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import org.jboss.ejb3.annotation.ResourceAdapter;

/** A bean's shared group, {@code $share/workers/jobs/#}, which MQTT clients may join only where a rule says so. */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "jobs/#"),
    @ActivationConfigProperty(propertyName = "shareName", propertyValue = "workers"),
})
@ResourceAdapter("mqtt-ra.rar")
@PermitAll
public class WorkersMdb extends CallerRecording {

    public static final String NAME = "workers";

    @Override
    protected String name() {
        return NAME;
    }
}
