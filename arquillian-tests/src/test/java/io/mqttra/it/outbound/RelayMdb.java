package io.mqttra.it.outbound;

import jakarta.annotation.Resource;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import org.jboss.ejb3.annotation.ResourceAdapter;

/**
 * Consumes it/relay/in and publishes to it/relay/out in the same container-managed transaction; a
 * message saying "fail" makes the bean throw after publishing, so the transaction rolls back.
 */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "it/relay/in"),
    @ActivationConfigProperty(propertyName = "bodyType", propertyValue = "TEXT"),
    @ActivationConfigProperty(propertyName = "maxRedeliveries", propertyValue = "0"),
})
@ResourceAdapter("mqtt-ra.rar")
@TransactionAttribute(TransactionAttributeType.REQUIRED)
@PermitAll
public class RelayMdb implements MessageListener {

    @Resource(lookup = "java:/mqtt/ConnectionFactory")
    private ConnectionFactory factory;

    @Override
    public void onMessage(Message message) {
        try (JMSContext context = factory.createContext()) {
            String body = message.getBody(String.class);
            context.createProducer().send(context.createTopic("it/relay/out"), "relayed " + body);
            if (body.equals("fail")) {
                throw new IllegalStateException("failing on purpose after publishing: the publication must not go out");
            }
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
