package io.mqttra.it.inbound;

import io.mqttra.api.MqttMessage;
import io.mqttra.api.MqttMessageListener;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import org.jboss.ejb3.annotation.ResourceAdapter;

/** A bean on the native listener interface: it gets the MQTT message itself, one at a time. */
@MessageDriven(messageListenerInterface = MqttMessageListener.class, activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/native/#"),
    @ActivationConfigProperty(propertyName = "qos", propertyValue = "2"),
    @ActivationConfigProperty(propertyName = "maxSessions", propertyValue = "1"), // one at a time, in publish order
    @ActivationConfigProperty(propertyName = "redeliveryDelay", propertyValue = "100"),
})
@ResourceAdapter("mqtt-ra.rar")
@PermitAll
public class NativeTelemetryMdb implements MqttMessageListener {

    @EJB
    private NativeReceived received;

    @Override
    public void onMessage(MqttMessage message) {
        received.add(message);
        if (message.payloadAsString().equals("fail-once") && !message.redelivered()) {
            throw new IllegalStateException("failing the first delivery on purpose");
        }
    }
}
