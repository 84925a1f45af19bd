package io.mqttra.broker;

import io.mqttra.broker.Packets.ReasonCode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How the broker ends a connection: a refused CONNECT gets its CONNACK, an MQTT 5 client with a session
 * is told why in a DISCONNECT, the rest just close. Out of {@link MqttConnectionHandler}, whose states
 * decide when; here is only how, also for the cluster and administrators, who end connections from
 * other threads.
 */
final class ConnectionClosing {

    private static final Logger LOG = Logger.getLogger(MqttConnectionHandler.class.getName());

    private ConnectionClosing() {
    }

    /** What the pipeline threw: a failed socket closes quietly, a broken packet with its reason code. */
    static void afterError(ChannelHandlerContext ctx, Throwable cause, String who) {
        if (cause instanceof IOException) {
            LOG.fine(() -> "Connection " + who + " failed: " + cause);
            ctx.close();
        } else if (cause instanceof TooLongFrameException) {
            LOG.fine(() -> "Closing " + who + ": " + cause.getMessage());
            closeWithReason(ctx.channel(), ReasonCode.PACKET_TOO_LARGE, cause.getMessage());
        } else if (cause instanceof MalformedPacketException) {
            LOG.fine(() -> "Closing " + who + ": malformed packet: " + cause.getMessage());
            closeWithReason(ctx.channel(), ReasonCode.MALFORMED_PACKET, cause.getMessage());
        } else {
            LOG.log(Level.WARNING, "Closing connection " + who + " after an unexpected error", cause);
            closeWithReason(ctx.channel(), ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, null);
        }
    }

    /** A packet the decoder could not read; before CONNECT, a refusal the client's version can read. */
    static void afterUndecodable(ChannelHandlerContext ctx, boolean beforeConnect, int maxPacketSize, String who, Throwable cause) {
        if (beforeConnect && cause instanceof MqttUnacceptableProtocolVersionException) {
            refuseUnsupportedVersion(ctx, cause.getMessage());
        } else if (beforeConnect && cause instanceof MqttIdentifierRejectedException) {
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, cause.getMessage());
        } else if (cause instanceof TooLongFrameException) {
            LOG.fine(() -> "Closing " + who + ": packet larger than maxPacketSize " + maxPacketSize);
            closeWithReason(ctx.channel(), ReasonCode.PACKET_TOO_LARGE, "packet larger than " + maxPacketSize + " bytes");
        } else {
            LOG.fine(() -> "Closing " + who + ": malformed packet: " + cause.getMessage());
            closeWithReason(ctx.channel(), ReasonCode.MALFORMED_PACKET, cause.getMessage());
        }
    }

    /**
     * A protocol level the broker does not speak: 3.x-format CONNACK code 1 for older levels; for
     * newer ones the MQTT 5 format with 0x84, which a client newer than 5.0 can read [MQTT-3.1.2-2].
     */
    static void refuseUnsupportedVersion(ChannelHandlerContext ctx, String why) {
        LOG.fine(() -> "Refused connection from " + ctx.channel().remoteAddress() + ": " + why);
        ctx.writeAndFlush(ctx.alloc().buffer(5).writeBytes(PacketInspector.isNewerThanMqtt5(ctx)
                ? new byte[] {0x20, 0x03, 0x00, (byte) 0x84, 0x00}
                : new byte[] {0x20, 0x02, 0x00, 0x01}))
                .addListener(ChannelFutureListener.CLOSE);
    }

    static void refuse(ChannelHandlerContext ctx, MqttConnectReturnCode code, String why) {
        LOG.fine(() -> "Refused connection from " + ctx.channel().remoteAddress() + " (" + code + "): " + why);
        ctx.writeAndFlush(Packets.connAck(code, false, MqttProperties.NO_PROPERTIES))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * MQTT 5 clients are told why in a DISCONNECT with a reason code and string [MQTT-4.13.1-1]; 3.x
     * has no server DISCONNECT, the socket just closes. Runs on the channel's own loop, which owns the
     * handler state it reads.
     */
    static void closeWithReason(Channel channel, ReasonCode reason, String reasonString) {
        channel.eventLoop().execute(() -> {
            MqttConnectionHandler handler = channel.pipeline().get(MqttConnectionHandler.class);
            if (handler != null && handler.hearsWhy() && channel.isActive()) {
                channel.writeAndFlush(Packets.disconnect(reason, reasonString)).addListener(ChannelFutureListener.CLOSE);
                // a client that does not read must not keep the connection open [MQTT-3.1.2-24]
                channel.eventLoop().schedule(() -> channel.close(), 1, TimeUnit.SECONDS);
            } else {
                channel.close();
            }
        });
    }

    /** Another node of the cluster accepted a connection with this connection's client identifier. */
    static void closeTakenOver(Channel channel) {
        closeWithReason(channel, ReasonCode.SESSION_TAKEN_OVER, "the client connected to another node of the cluster");
    }

    /** Closes a client's connection for an administrator (DISCONNECT 0x98 to MQTT 5 clients). */
    static void closeByAdministrator(Channel channel) {
        LOG.fine(() -> "Closing connection " + channel.remoteAddress() + ": administrative action");
        closeWithReason(channel, ReasonCode.ADMINISTRATIVE_ACTION, "disconnected by an administrator");
    }
}
