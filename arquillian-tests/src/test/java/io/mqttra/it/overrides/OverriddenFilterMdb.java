package io.mqttra.it.overrides;

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

/**
 * Reports on {@value #SEEN} the topic of each message it receives. Its built-in filter is
 * {@value #BUILT_IN_FILTER}; SubsystemConfigurationIT replaces it without rebuilding the WAR.
 */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "topicFilter", propertyValue = OverriddenFilterMdb.BUILT_IN_FILTER),
    @ActivationConfigProperty(propertyName = "maxSessions", propertyValue = "1"),
})
@ResourceAdapter("mqtt-ra.rar")
@PermitAll
public class OverriddenFilterMdb implements MessageListener {

    public static final String BUILT_IN_FILTER = "it/override/built-in";
    public static final String SEEN = "it/override-seen";

    @Resource(lookup = "java:/mqtt/ConnectionFactory")
    private ConnectionFactory mqtt;

    @Override
    public void onMessage(Message message) {
        try (JMSContext context = mqtt.createContext()) {
            context.createProducer().send(context.createTopic(SEEN), ((Topic) message.getJMSDestination()).getTopicName());
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
