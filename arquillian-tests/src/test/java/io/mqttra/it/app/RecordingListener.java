package io.mqttra.it.app;

import jakarta.ejb.EJB;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/** Records every message a test MDB receives under the bean's name. */
public abstract class RecordingListener implements MessageListener {

    @EJB
    private ReceivedMessages received;

    protected abstract String name();

    @Override
    public void onMessage(Message message) {
        try {
            received.record(name(), ReceivedMessage.of(message));
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
