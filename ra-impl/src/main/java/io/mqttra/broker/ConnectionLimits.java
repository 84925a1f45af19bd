package io.mqttra.broker;

/**
 * What the client's CONNECT said it can take (MQTT 5.0 section 3.1.2.11); MQTT 3.x clients get
 * {@link #unlimited(int)}.
 *
 * @param mqtt5 whether the connection speaks MQTT 5
 * @param receiveMaximum unacknowledged QoS 1/2 PUBLISH packets the client accepts at once
 * @param maximumPacketSize largest packet the client accepts, in bytes
 * @param topicAliasMaximum topic aliases the server sets towards the client: what the client accepts,
 *     capped by the broker's {@code topicAliasMaximum} (0: none)
 */
record ConnectionLimits(boolean mqtt5, int receiveMaximum, int maximumPacketSize, int topicAliasMaximum) {

    static ConnectionLimits unlimited(int receiveMaximum) {
        return new ConnectionLimits(false, receiveMaximum, Integer.MAX_VALUE, 0);
    }
}
