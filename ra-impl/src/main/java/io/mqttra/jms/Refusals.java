package io.mqttra.jms;

import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;

/** The JMS operations the outbound API does not offer, refused with one clear message each. */
final class Refusals {

    static final String CONSUMING = "MQTT-RA's connection factory only sends: consume MQTT topics with a message-driven bean"
            + " (activation property topicFilter)";
    static final String QUEUES = "MQTT has topics only; there are no queues";
    static final String LOCAL_TRANSACTIONS = "Sessions of MQTT-RA's connection factory are not transacted: publish inside a"
            + " JTA transaction to make sends atomic";
    static final String NON_BYTES_BODY = "MQTT carries bytes: use a TextMessage or a BytesMessage";
    static final String CLIENT_ID = "The client ID of a connection in an application server is set by the server";

    private Refusals() {
    }

    static JMSException consuming() {
        return new JMSException(CONSUMING);
    }

    static IllegalStateException localTransactions() {
        return new IllegalStateException(LOCAL_TRANSACTIONS);
    }
}
