package io.mqttra.samples;

import jakarta.annotation.Resource;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.util.logging.Logger;
import org.jboss.ejb3.annotation.ResourceAdapter;

/**
 * Request/reply over MQTT 5: answers each request on {@code service/echo} on the request's response
 * topic, with its correlation data.
 * Try it: {@code mosquitto_rr -u demo -P demo-Secret1 -t service/echo -e replies/me -m ping}.
 * The reply is published in the bean's transaction: if the bean failed, no reply would go out.
 */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = "service/echo"),
    @ActivationConfigProperty(propertyName = "bodyType", propertyValue = "TEXT"),
})
@ResourceAdapter("mqtt-ra.rar")
@PermitAll
public class EchoServiceMdb implements MessageListener {

    private static final Logger LOG = Logger.getLogger(EchoServiceMdb.class.getName());

    @Resource(name = "mqtt/ConnectionFactory", lookup = "java:/mqtt/ConnectionFactory") // Liberty: WEB-INF/ibm-web-bnd.xml
    private ConnectionFactory mqtt;

    @Override
    public void onMessage(Message request) {
        try {
            if (request.getJMSReplyTo() == null) {
                LOG.info("Request on service/echo without a response topic: nothing to answer");
                return;
            }
            try (JMSContext context = mqtt.createContext()) {
                context.createProducer()
                        .setJMSCorrelationIDAsBytes(request.getJMSCorrelationIDAsBytes())
                        .send(request.getJMSReplyTo(), "echo: " + request.getBody(String.class));
            }
        } catch (JMSException e) {
            throw new IllegalStateException("Cannot answer the request", e);
        }
    }
}
