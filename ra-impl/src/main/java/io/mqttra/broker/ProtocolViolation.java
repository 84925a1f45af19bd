package io.mqttra.broker;

import io.mqttra.broker.Packets.ReasonCode;

/**
 * A packet from a connected client that ends its connection: MQTT 5 clients are told {@link #reason()}
 * and the message in a DISCONNECT (MQTT 5.0 section 4.13). Thrown by the parts the connection handler
 * dispatches to, and caught there; it has no stack trace, since it is the client's mistake, not the
 * broker's.
 */
final class ProtocolViolation extends Exception {

    private final ReasonCode reason;

    ProtocolViolation(ReasonCode reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** A Protocol Error (0x82). */
    ProtocolViolation(String message) {
        this(ReasonCode.PROTOCOL_ERROR, message);
    }

    ReasonCode reason() {
        return reason;
    }
}
