package io.mqttra.jca.outbound;

import io.mqttra.broker.MqttBroker;

/**
 * What runs the broker that outbound connections publish to: the resource adapter. The connection
 * factories reach it through this, so they need not know the adapter class.
 */
public interface BrokerHost {

    /** The running broker, or {@code null} while the adapter is stopped. */
    MqttBroker broker();
}
