package io.mqttra.broker;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperties;
import java.nio.charset.StandardCharsets;

/**
 * Encoded sizes of outgoing PUBLISH packets, so that a message too big for a client's Maximum Packet
 * Size is dropped for that client before it is sent [MQTT-3.1.2-25].
 */
final class PacketSizes {

    private PacketSizes() {
    }

    static int publish(String topic, int payloadLength, int qos, MqttProperties properties, boolean mqtt5) {
        long remaining = 2L + utf8Length(topic) + (qos > 0 ? 2 : 0) + payloadLength;
        if (mqtt5) {
            int props = properties(properties);
            remaining += varIntSize(props) + props;
        }
        long total = 1 + varIntSize((int) Math.min(remaining, Integer.MAX_VALUE)) + remaining;
        return (int) Math.min(total, Integer.MAX_VALUE);
    }

    static int properties(MqttProperties properties) {
        int size = 0;
        for (MqttProperty<?> p : properties.listAll()) {
            int id = p.propertyId();
            if (p instanceof UserProperties user) {
                for (StringPair pair : user.value()) {
                    size += 1 + 2 + utf8Length(pair.key) + 2 + utf8Length(pair.value);
                }
            } else if (p instanceof StringProperty s) {
                size += 1 + 2 + utf8Length(s.value());
            } else if (p instanceof BinaryProperty b) {
                size += 1 + 2 + b.value().length;
            } else if (p instanceof IntegerProperty i) {
                size += 1 + integerSize(id, i.value());
            }
        }
        return size;
    }

    private static int integerSize(int id, int value) {
        if (id == MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value()) {
            return varIntSize(value);
        }
        if (id == MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value()) {
            return 1;
        }
        if (id == MqttPropertyType.TOPIC_ALIAS.value()) {
            return 2;
        }
        return 4; // message expiry interval
    }

    static int varIntSize(int value) {
        if (value < 128) {
            return 1;
        }
        if (value < 16_384) {
            return 2;
        }
        return value < 2_097_152 ? 3 : 4;
    }

    /** UTF-8 length of {@code s}; counts without encoding when it is ASCII, the usual case for topics. */
    static int utf8Length(String s) {
        int ascii = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
            ascii++;
        }
        return ascii;
    }
}
