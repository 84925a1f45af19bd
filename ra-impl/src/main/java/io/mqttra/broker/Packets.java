package io.mqttra.broker;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;

/**
 * Factories for the packets the broker sends. The Netty encoder picks the 3.x or 5.0 wire format
 * from the protocol version the decoder recorded on the channel when it read CONNECT.
 */
final class Packets {

    static final MqttMessage PINGRESP = new MqttMessage(fixed(MqttMessageType.PINGRESP, MqttQoS.AT_MOST_ONCE));

    private Packets() {
    }

    private static MqttFixedHeader fixed(MqttMessageType type, MqttQoS qos) {
        return new MqttFixedHeader(type, false, qos, false, 0);
    }

    static MqttConnAckMessage connAck(MqttConnectReturnCode code, boolean sessionPresent, MqttProperties properties) {
        return new MqttConnAckMessage(fixed(MqttMessageType.CONNACK, MqttQoS.AT_MOST_ONCE),
                new MqttConnAckVariableHeader(code, sessionPresent, properties));
    }

    static MqttPublishMessage publish(String topic, byte[] payload, int qos, boolean retain, boolean dup,
                                      int packetId, MqttProperties properties) {
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(qos), retain, 0);
        return new MqttPublishMessage(header, new MqttPublishVariableHeader(topic, qos == 0 ? -1 : packetId, properties),
                Unpooled.wrappedBuffer(payload));
    }

    /** MQTT 5 reason code 0x10: accepted, but no subscriber matched. */
    static final byte NO_MATCHING_SUBSCRIBERS = 0x10;
    /** MQTT 5 reason code 0x92: PUBREL/PUBCOMP for a packet identifier the receiver does not know. */
    static final byte PACKET_ID_NOT_FOUND = (byte) 0x92;

    static MqttMessage pubAck(int packetId, byte reason) {
        return pubReply(MqttMessageType.PUBACK, MqttQoS.AT_MOST_ONCE, packetId, reason);
    }

    static MqttMessage pubRec(int packetId, byte reason) {
        return pubReply(MqttMessageType.PUBREC, MqttQoS.AT_MOST_ONCE, packetId, reason);
    }

    /** PUBREL has the reserved flags 0010 [MQTT-3.6.1-1]. */
    static MqttMessage pubRel(int packetId, byte reason) {
        return pubReply(MqttMessageType.PUBREL, MqttQoS.AT_LEAST_ONCE, packetId, reason);
    }

    static MqttMessage pubComp(int packetId, byte reason) {
        return pubReply(MqttMessageType.PUBCOMP, MqttQoS.AT_MOST_ONCE, packetId, reason);
    }

    /** The encoder writes the reason code for MQTT 5 connections only, and omits 0x00 as the spec allows. */
    private static MqttMessage pubReply(MqttMessageType type, MqttQoS qos, int packetId, byte reason) {
        return new MqttMessage(fixed(type, qos),
                new MqttPubReplyMessageVariableHeader(packetId, reason, MqttProperties.NO_PROPERTIES));
    }

    static MqttSubAckMessage subAck(int packetId, int[] reasonCodes) {
        return new MqttSubAckMessage(fixed(MqttMessageType.SUBACK, MqttQoS.AT_MOST_ONCE),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
                new MqttSubAckPayload(reasonCodes));
    }

    /** UNSUBACK; the reason codes are encoded for MQTT 5 clients only. */
    static MqttUnsubAckMessage unsubAck(int packetId, short[] reasonCodes) {
        return new MqttUnsubAckMessage(fixed(MqttMessageType.UNSUBACK, MqttQoS.AT_MOST_ONCE),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
                new MqttUnsubAckPayload(reasonCodes));
    }

    /** MQTT 5 DISCONNECT sent by the server (MQTT 5.0 section 3.14), with a Reason String saying why. */
    static MqttMessage disconnect(ReasonCode reason, String reasonString) {
        MqttProperties props = new MqttProperties();
        if (reasonString != null) {
            props.add(new MqttProperties.StringProperty(MqttProperties.MqttPropertyType.REASON_STRING.value(), reasonString));
        }
        return new MqttMessage(fixed(MqttMessageType.DISCONNECT, MqttQoS.AT_MOST_ONCE),
                new MqttReasonCodeAndPropertiesVariableHeader(reason.code, props));
    }

    /** The MQTT 5 reason codes the broker sends in DISCONNECT (MQTT 5.0 section 2.4). */
    enum ReasonCode {
        MALFORMED_PACKET(0x81),
        PROTOCOL_ERROR(0x82),
        IMPLEMENTATION_SPECIFIC_ERROR(0x83),
        SERVER_SHUTTING_DOWN(0x8B),
        KEEP_ALIVE_TIMEOUT(0x8D),
        SESSION_TAKEN_OVER(0x8E),
        TOPIC_NAME_INVALID(0x90),
        RECEIVE_MAXIMUM_EXCEEDED(0x93),
        TOPIC_ALIAS_INVALID(0x94),
        PACKET_TOO_LARGE(0x95),
        ADMINISTRATIVE_ACTION(0x98);

        final byte code;

        ReasonCode(int code) {
            this.code = (byte) code;
        }
    }
}
