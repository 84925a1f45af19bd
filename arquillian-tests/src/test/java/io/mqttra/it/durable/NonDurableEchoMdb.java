package io.mqttra.it.durable;

import jakarta.annotation.Resource;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import org.jboss.ejb3.annotation.ResourceAdapter;

/** Reports on it/durable-seen what it received, prefixed "nondurable". */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/durable/#"),

    @ActivationConfigProperty(propertyName = "bodyType", propertyValue = "TEXT"),
    @ActivationConfigProperty(propertyName = "maxSessions", propertyValue = "1"),
})
@ResourceAdapter("mqtt-ra.rar")
@PermitAll
public class NonDurableEchoMdb implements MessageListener {

    @Resource(lookup = "java:/mqtt/ConnectionFactory")
    private ConnectionFactory mqtt;

    @Override
    public void onMessage(Message message) {
        try (JMSContext context = mqtt.createContext()) {
            context.createProducer().send(context.createTopic("it/durable-seen"), "nondurable " + message.getBody(String.class));
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
