package io.mqttra.it.durable;

import jakarta.annotation.Resource;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/** What both beans sharing the durable subscription "shared-durable" do: report "<name> <payload>" on it/durable-seen. */
public abstract class SharedDurableEcho implements MessageListener {

    @Resource(lookup = "java:/mqtt/ConnectionFactory")
    private ConnectionFactory mqtt;

    abstract String name();

    @Override
    public void onMessage(Message message) {
        try (JMSContext context = mqtt.createContext()) {
            context.createProducer().send(context.createTopic("it/durable-seen"), name() + " " + message.getBody(String.class));
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
