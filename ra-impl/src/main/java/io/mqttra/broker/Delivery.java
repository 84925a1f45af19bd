package io.mqttra.broker;

import java.util.List;

/**
 * How one message is delivered to one subscriber.
 *
 * @param qos min(publication QoS, highest QoS of the subscriber's matching subscriptions)
 * @param retain the RETAIN flag to deliver with: set for messages from the retained store, and for
 *     live messages only where a subscription asked for Retain As Published
 * @param fromRetainedStore whether the message comes from the retained store (sent because a new
 *     subscription matched it)
 * @param subscriptionIds the identifiers of the matching subscriptions that have one [MQTT-3.3.4-3]
 */
public record Delivery(int qos, boolean retain, boolean fromRetainedStore, List<Integer> subscriptionIds) {

    public Delivery {
        subscriptionIds = List.copyOf(subscriptionIds);
    }
}
