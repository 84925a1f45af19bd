package io.mqttra.broker;

import io.netty.handler.codec.DecoderException;

/** A packet that breaks the wire format (MQTT 5.0 section 4.13): the connection is closed. */
final class MalformedPacketException extends DecoderException {

    MalformedPacketException(String message) {
        super(message);
    }
}
