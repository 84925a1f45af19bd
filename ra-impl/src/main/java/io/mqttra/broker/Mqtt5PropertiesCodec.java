package io.mqttra.broker;

import io.mqttra.broker.PublishedMessage.Mqtt5Properties;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Converts the application-message properties of MQTT 5 PUBLISH packets to and from {@link Mqtt5Properties}. */
final class Mqtt5PropertiesCodec {

    private Mqtt5PropertiesCodec() {
    }

    static Mqtt5Properties fromPublish(MqttProperties p) {
        if (p == null || p.isEmpty()) {
            return Mqtt5Properties.NONE;
        }
        Integer format = intValue(p, MqttPropertyType.PAYLOAD_FORMAT_INDICATOR);
        Integer expiry = intValue(p, MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL);
        List<Map.Entry<String, String>> user = new ArrayList<>();
        for (MqttProperty<?> prop : p.getProperties(MqttPropertyType.USER_PROPERTY.value())) {
            if (prop instanceof UserProperties ups) {
                for (StringPair pair : ups.value()) {
                    user.add(Map.entry(pair.key, pair.value));
                }
            } else if (prop.value() instanceof StringPair pair) {
                user.add(Map.entry(pair.key, pair.value));
            }
        }
        return new Mqtt5Properties(
                format == null ? null : format == 1,
                expiry == null ? null : Integer.toUnsignedLong(expiry),
                (String) value(p, MqttPropertyType.CONTENT_TYPE),
                (String) value(p, MqttPropertyType.RESPONSE_TOPIC),
                (byte[]) value(p, MqttPropertyType.CORRELATION_DATA),
                user);
    }

    /**
     * The properties to forward to an MQTT 5 subscriber. The message expiry interval is reduced by
     * the time the message has waited in the broker (MQTT 5.0 section 3.3.2.3.3); the identifiers of
     * the matching subscriptions are added [MQTT-3.3.4-3].
     */
    static MqttProperties forSubscriber(PublishedMessage message, long now, List<Integer> subscriptionIds) {
        Mqtt5Properties m = message.properties();
        if (m == Mqtt5Properties.NONE && subscriptionIds.isEmpty()) {
            return MqttProperties.NO_PROPERTIES;
        }
        MqttProperties p = new MqttProperties();
        for (int id : subscriptionIds) {
            p.add(new IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), id));
        }
        if (m.payloadFormatUtf8() != null) {
            p.add(new IntegerProperty(MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value(), m.payloadFormatUtf8() ? 1 : 0));
        }
        if (m.messageExpirySeconds() != null) {
            long waited = Math.max(0, (now - message.timestamp()) / 1000);
            long remaining = Math.max(1, m.messageExpirySeconds() - waited);
            p.add(new IntegerProperty(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(), (int) remaining));
        }
        if (m.contentType() != null) {
            p.add(new StringProperty(MqttPropertyType.CONTENT_TYPE.value(), m.contentType()));
        }
        if (m.responseTopic() != null) {
            p.add(new StringProperty(MqttPropertyType.RESPONSE_TOPIC.value(), m.responseTopic()));
        }
        if (m.correlationData() != null) {
            p.add(new BinaryProperty(MqttPropertyType.CORRELATION_DATA.value(), m.correlationData()));
        }
        if (!m.userProperties().isEmpty()) {
            UserProperties user = new UserProperties();
            m.userProperties().forEach(e -> user.add(e.getKey(), e.getValue()));
            p.add(user);
        }
        return p;
    }

    static Integer intValue(MqttProperties p, MqttPropertyType type) {
        Object v = value(p, type);
        return v instanceof Integer i ? i : null;
    }

    private static Object value(MqttProperties p, MqttPropertyType type) {
        MqttProperty<?> prop = p.getProperty(type.value());
        return prop == null ? null : prop.value();
    }
}
