package io.mqttra.it.retained;

import io.mqttra.api.MqttJmsProperties;
import jakarta.annotation.Resource;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Topic;
import org.jboss.ejb3.annotation.ResourceAdapter;

/** Tells on it/state-seen what it received, so a test outside the server can see it. */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/state/#"),
    @ActivationConfigProperty(propertyName = "deliverRetained", propertyValue = "true"),
    @ActivationConfigProperty(propertyName = "bodyType", propertyValue = "TEXT"),
})
@ResourceAdapter("mqtt-ra.rar")
@PermitAll
public class RetainedEchoMdb implements MessageListener {

    @Resource(lookup = "java:/mqtt/ConnectionFactory")
    private ConnectionFactory mqtt;

    @Override
    public void onMessage(Message message) {
        try (JMSContext context = mqtt.createContext()) {
            String seen = ((Topic) message.getJMSDestination()).getTopicName() + " " + message.getBody(String.class)
                    + " retained=" + message.getBooleanProperty(MqttJmsProperties.RETAIN);
            context.createProducer().send(context.createTopic("it/state-seen"), seen);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
