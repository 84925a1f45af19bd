package io.mqttra.jms;

import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.MessageNotWriteableRuntimeException;

/** The unchecked exception of the simplified API that stands for a checked one (JMS 3.1 section 14). */
final class RuntimeExceptions {

    private RuntimeExceptions() {
    }

    interface JmsCall<T> {
        T call() throws JMSException;
    }

    static <T> T unchecked(JmsCall<T> call) {
        try {
            return call.call();
        } catch (JMSException e) {
            throw of(e);
        }
    }

    static JMSRuntimeException of(JMSException e) {
        JMSRuntimeException r;
        if (e instanceof InvalidDestinationException) {
            r = new InvalidDestinationRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof MessageFormatException) {
            r = new MessageFormatRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof MessageNotWriteableException) {
            r = new MessageNotWriteableRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof jakarta.jms.IllegalStateException) {
            r = new IllegalStateRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else {
            r = new JMSRuntimeException(e.getMessage(), e.getErrorCode(), e);
        }
        return r;
    }
}
