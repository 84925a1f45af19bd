package io.mqttra.broker;

/** The broker could not start, for example because its port is in use. */
public final class BrokerStartException extends Exception {

    public BrokerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
