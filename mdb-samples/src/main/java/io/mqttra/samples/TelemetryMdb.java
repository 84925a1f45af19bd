package io.mqttra.samples;

import io.mqttra.api.MqttJmsProperties;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;
import org.jboss.ejb3.annotation.ResourceAdapter;

/**
 * Receives every message devices publish under {@code sensors/}, as a JMS message, and logs it.
 * Try it: {@code mosquitto_pub -h 127.0.0.1 -u demo -P demo-Secret1 -t sensors/room1/temperature -q 1 -m 21.5}
 * (the run profile's user). {@code @PermitAll}: the bean runs as the publishing user, and WildFly refuses
 * any caller a bean method that declares no permission.
 */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "sensors/#"),
    @ActivationConfigProperty(propertyName = "qos", propertyValue = "1"),
})
@ResourceAdapter("mqtt-ra.rar")
@PermitAll
public class TelemetryMdb implements MessageListener {

    private static final Logger LOG = Logger.getLogger(TelemetryMdb.class.getName());

    @Override
    public void onMessage(Message message) {
        try {
            String topic = ((Topic) message.getJMSDestination()).getTopicName();
            String payload = payloadText(message);
            // what a device reports may be private: its content only at FINE
            LOG.info("Telemetry: topic=" + topic
                    + " bytes=" + payload.getBytes(StandardCharsets.UTF_8).length
                    + " qos=" + message.getIntProperty(MqttJmsProperties.QOS)
                    + " clientId=" + message.getStringProperty(MqttJmsProperties.CLIENT_ID)
                    + " user=" + message.getStringProperty("JMSXUserID"));
            LOG.fine(() -> "Telemetry payload on " + topic + ": " + payload);
        } catch (JMSException e) {
            throw new IllegalStateException("Cannot read telemetry message", e);
        }
    }

    private static String payloadText(Message message) throws JMSException {
        if (message instanceof TextMessage text) {
            return text.getText();
        }
        if (message instanceof BytesMessage bytes) {
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            return new String(body, StandardCharsets.UTF_8);
        }
        return "(no body)";
    }
}
