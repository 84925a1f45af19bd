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

/** One of two beans sharing the durable subscription "shared-durable"; reports "B <payload>" on it/durable-seen. */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/shared-durable/#"),
    @ActivationConfigProperty(propertyName = "subscriptionDurability", propertyValue = "Durable"),
    @ActivationConfigProperty(propertyName = "subscriptionName", propertyValue = "shared-durable"),
    @ActivationConfigProperty(propertyName = "shareName", propertyValue = "workers"),
    @ActivationConfigProperty(propertyName = "bodyType", propertyValue = "TEXT"),
})
@ResourceAdapter("mqtt-ra.rar")
@PermitAll
public class SharedDurableBMdb implements MessageListener {

    @Resource(lookup = "java:/mqtt/ConnectionFactory")
    private ConnectionFactory mqtt;

    @Override
    public void onMessage(Message message) {
        try (JMSContext context = mqtt.createContext()) {
            context.createProducer().send(context.createTopic("it/durable-seen"), "B " + message.getBody(String.class));
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
