package io.mqttra.broker;

import io.mqttra.broker.Packets.ReasonCode;

/**
 * The topic aliases an MQTT 5 client has set towards the broker on one connection (MQTT 5.0 section
 * 3.3.2.3.4). A new, empty one for every connection, since aliases do not carry over from one
 * connection to the next [MQTT-3.3.2-7]. Confined to the connection's event loop.
 */
final class InboundTopicAliases {

    /** Indexed by alias; index 0 is never used, as alias 0 is not permitted. */
    private final String[] topics;

    /** Aliases 1 to {@code maximum}, the Topic Alias Maximum the broker announced in CONNACK. */
    InboundTopicAliases(int maximum) {
        topics = new String[maximum + 1];
    }

    /**
     * The topic of a PUBLISH that carries Topic Alias {@code alias}: its own topic name, which the alias
     * stands for from now on, or, when the name is empty, the topic the alias was set to.
     */
    String resolve(String topic, int alias) throws ProtocolViolation {
        if (alias == 0 || alias >= topics.length) {
            // [MQTT-3.3.2-8], [MQTT-3.3.2-9]
            throw new ProtocolViolation(ReasonCode.TOPIC_ALIAS_INVALID, "topic alias " + alias + " outside 1.." + (topics.length - 1));
        }
        if (!topic.isEmpty()) {
            topics[alias] = topic;
            return topic;
        }
        String aliased = topics[alias];
        if (aliased == null) {
            // an empty topic name needs an alias set earlier on this connection (MQTT 5.0 section 3.3.4)
            throw new ProtocolViolation("topic alias " + alias + " was never set");
        }
        return aliased;
    }
}
