package io.mqttra.it.inbound;

import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import org.jboss.ejb3.annotation.ResourceAdapter;

/**
 * maxSessions=4 with the default ordering (PER_TOPIC): takes 50 ms per message and records, per
 * topic, the order of the deliveries that succeeded. Fails the first delivery of "fail-once".
 */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/per-topic/+"),
    @ActivationConfigProperty(propertyName = "maxSessions", propertyValue = "4"),
    @ActivationConfigProperty(propertyName = "redeliveryDelay", propertyValue = "300"),
    @ActivationConfigProperty(propertyName = "bodyType", propertyValue = "TEXT"),
})
@ResourceAdapter("mqtt-ra.rar")
@PermitAll
public class PerTopicMdb implements MessageListener {

    @EJB
    private Concurrency concurrency;

    @Override
    public void onMessage(Message message) {
        try {
            String body = message.getBody(String.class);
            if (body.equals("fail-once") && !message.getJMSRedelivered()) {
                throw new IllegalStateException("first delivery of fail-once");
            }
            String topic = ((jakarta.jms.Topic) message.getJMSDestination()).getTopicName();
            concurrency.enter("it/per-topic", topic + " " + body);
            concurrency.enter(topic, body);
            try {
                Thread.sleep(50);
            } finally {
                concurrency.leave(topic);
                concurrency.leave("it/per-topic");
            }
        } catch (JMSException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
