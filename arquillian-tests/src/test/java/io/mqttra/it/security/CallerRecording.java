package io.mqttra.it.security;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDrivenContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.util.Set;
import java.util.TreeSet;

/** Records whom the bean runs as for each message. */
abstract class CallerRecording implements MessageListener {

    static final String[] ROLES = {"device", "sensor", "mqtt-admin"};

    @Resource
    private MessageDrivenContext context;

    @EJB
    private Callers callers;

    protected abstract String name();

    @Override
    public void onMessage(Message message) {
        Set<String> roles = new TreeSet<>();
        for (String role : ROLES) {
            if (context.isCallerInRole(role)) {
                roles.add(role);
            }
        }
        try {
            callers.record(name(), new Callers.Call(context.getCallerPrincipal().getName(), roles,
                    message.getStringProperty("JMSXUserID"), message.getJMSDestination().toString()));
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
