package io.mqttra.it.inbound;

import jakarta.annotation.Resource;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import org.jboss.ejb3.annotation.ResourceAdapter;

/** noLocal=true: answers each message on the topic it consumes, and must not receive its own answers. */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/nolocal/#"),
    @ActivationConfigProperty(propertyName = "noLocal", propertyValue = "true"),
    @ActivationConfigProperty(propertyName = "bodyType", propertyValue = "TEXT"),
})
@ResourceAdapter("mqtt-ra.rar")
@PermitAll
public class NoLocalMdb implements MessageListener {

    @EJB
    private Concurrency concurrency;

    @Resource(lookup = "java:/mqtt/ConnectionFactory")
    private ConnectionFactory mqtt;

    @Override
    public void onMessage(Message message) {
        try (JMSContext context = mqtt.createContext()) {
            String body = message.getBody(String.class);
            concurrency.enter("it/nolocal", body);
            concurrency.leave("it/nolocal");
            context.createProducer().send(message.getJMSDestination(), "from-server after " + body);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
