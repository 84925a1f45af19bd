package io.mqttra.broker;

import io.mqttra.api.MqttTopics;
import io.mqttra.broker.Packets.ReasonCode;
import io.mqttra.broker.PublishedMessage.Mqtt5Properties;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption.RetainedHandlingPolicy;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The protocol flow of one network connection, from CONNECT to close. One instance per channel;
 * every method runs on the channel's event loop. Session state that outlives the connection lives in
 * {@link ClientSession}.
 */
final class MqttConnectionHandler extends SimpleChannelInboundHandler<MqttMessage> {

    private static final Logger LOG = Logger.getLogger(MqttConnectionHandler.class.getName());
    private static final int SUBACK_FAILURE_V3 = 0x80;
    private static final int SUBACK_TOPIC_FILTER_INVALID = 0x8F;
    private static final short UNSUBACK_SUCCESS = 0x00;
    private static final short UNSUBACK_NO_SUBSCRIPTION = 0x11;
    private static final int DISCONNECT_WITH_WILL = 0x04;

    private final MqttBroker broker;
    private ScheduledFuture<?> connectTimeout;
    private ClientSession session;
    private MqttVersion version;
    private String userName;
    private PublishedMessage will;

    MqttConnectionHandler(MqttBroker broker) {
        this.broker = broker;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long timeout = broker.config().connectTimeoutMillis();
        connectTimeout = ctx.executor().schedule(() -> {
            LOG.fine(() -> "Closing " + ctx.channel().remoteAddress() + ": no CONNECT within " + timeout + " ms");
            ctx.close();
        }, timeout, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
        }
        if (session != null) {
            // a connection that ends without DISCONNECT publishes its will [MQTT-3.1.2-8]
            if (will != null && !broker.isStopping()) {
                broker.router().route(will);
            }
            broker.sessions().closed(session, ctx.channel());
            LOG.fine(() -> "Client " + session.clientId() + " disconnected");
        }
        ctx.fireChannelInactive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
        if (msg.decoderResult().isFailure()) {
            onUndecodable(ctx, msg.decoderResult().cause());
            return;
        }
        if (session == null) {
            if (msg instanceof MqttConnectMessage connect) {
                onConnect(ctx, connect);
            } else {
                // [MQTT-3.1.0-1] the first packet from the client must be CONNECT
                closeForProtocolError(ctx, "first packet was " + msg.fixedHeader().messageType() + ", not CONNECT");
            }
            return;
        }
        switch (msg.fixedHeader().messageType()) {
            case PUBLISH -> onPublish(ctx, (MqttPublishMessage) msg);
            case PUBACK -> session.onPubAck(packetId(msg));
            case PUBREC -> session.onPubRec(packetId(msg));
            case PUBREL -> {
                session.releaseQos2(packetId(msg));
                ctx.writeAndFlush(Packets.pubComp(packetId(msg)));
            }
            case PUBCOMP -> session.onPubComp(packetId(msg));
            case SUBSCRIBE -> onSubscribe(ctx, (MqttSubscribeMessage) msg);
            case UNSUBSCRIBE -> onUnsubscribe(ctx, (MqttUnsubscribeMessage) msg);
            case PINGREQ -> ctx.writeAndFlush(Packets.PINGRESP);
            case DISCONNECT -> onDisconnect(ctx, msg);
            // [MQTT-3.1.0-2] a second CONNECT is a protocol violation; so is any server-to-client packet
            default -> closeForProtocolError(ctx, "unexpected " + msg.fixedHeader().messageType() + " packet");
        }
    }

    private void onConnect(ChannelHandlerContext ctx, MqttConnectMessage connect) {
        connectTimeout.cancel(false);
        MqttConnectVariableHeader header = connect.variableHeader();
        MqttConnectPayload payload = connect.payload();
        version = MqttVersion.fromProtocolNameAndLevel(header.name(), (byte) header.version());
        boolean v5 = version == MqttVersion.MQTT_5;

        String clientId = payload.clientIdentifier();
        boolean assignedId = false;
        if (clientId == null || clientId.isEmpty()) {
            if (!header.isCleanSession() && !v5) {
                // [MQTT-3.1.3-8] a zero-byte client id needs a clean session
                refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                        "empty client identifier with cleanSession=0");
                return;
            }
            clientId = "mqttra-" + UUID.randomUUID();
            assignedId = true;
        }
        userName = payload.userName();

        if (header.isWillFlag()) {
            String problem = MqttTopics.topicNameProblem(payload.willTopic());
            if (problem != null) {
                closeForProtocolError(ctx, "invalid will topic: " + problem);
                return;
            }
            will = new PublishedMessage(payload.willTopic(), payload.willMessageInBytes(), header.willQos(),
                    header.isWillRetain(), clientId, userName, System.currentTimeMillis(),
                    v5 ? Mqtt5PropertiesCodec.fromPublish(payload.willProperties()) : Mqtt5Properties.NONE);
        }

        boolean persistent;
        if (v5) {
            Integer expiry = Mqtt5PropertiesCodec.intValue(header.properties(), MqttPropertyType.SESSION_EXPIRY_INTERVAL);
            persistent = expiry != null && expiry != 0;
        } else {
            persistent = !header.isCleanSession();
        }

        int keepAlive = header.keepAliveTimeSeconds();
        if (keepAlive > 0) {
            // [MQTT-3.1.2-24] no packet within 1.5 x keep-alive closes the connection
            ctx.pipeline().addBefore(ctx.name(), "keepAlive",
                    new IdleStateHandler(keepAlive * 1500L, 0, 0, TimeUnit.MILLISECONDS));
        }

        SessionRegistry.Opened opened = broker.sessions().open(clientId, header.isCleanSession(), persistent, ctx.channel());
        session = opened.session();
        if (opened.previousConnection() != null && opened.previousConnection() != ctx.channel()) {
            LOG.fine("Client " + clientId + " reconnected; closing its previous connection");
            closeWithReason(opened.previousConnection(), ReasonCode.SESSION_TAKEN_OVER);
        }

        MqttProperties props = MqttProperties.NO_PROPERTIES;
        if (v5) {
            props = new MqttProperties();
            if (assignedId) {
                props.add(new StringProperty(MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value(), clientId));
            }
            props.add(new IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), broker.config().maxPacketSize()));
            props.add(new IntegerProperty(MqttPropertyType.RECEIVE_MAXIMUM.value(), broker.config().maxInflightPerClient()));
            props.add(new IntegerProperty(MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE.value(), 0));
            props.add(new IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE.value(), 0));
        }
        // written directly, so it precedes the session replay that attach() queued as tasks [MQTT-3.2.0-1]
        ctx.writeAndFlush(Packets.connAck(MqttConnectReturnCode.CONNECTION_ACCEPTED, opened.sessionPresent(), props));
        String id = clientId;
        LOG.fine(() -> "Client " + id + " connected from " + ctx.channel().remoteAddress() + " with " + version
                + (opened.sessionPresent() ? ", session resumed" : ""));
    }

    private void onPublish(ChannelHandlerContext ctx, MqttPublishMessage publish) {
        String topic = publish.variableHeader().topicName();
        String problem = MqttTopics.topicNameProblem(topic);
        if (problem != null) {
            // [MQTT-3.3.2-2] wildcards or an empty topic in PUBLISH end the connection
            closeWithReason(ctx.channel(), ReasonCode.TOPIC_NAME_INVALID);
            LOG.fine(() -> "Closed client " + session.clientId() + ": " + problem);
            return;
        }
        int qos = publish.fixedHeader().qosLevel().value();
        if (qos > 2) {
            closeForProtocolError(ctx, "PUBLISH with QoS 3 [MQTT-3.3.1-4]");
            return;
        }
        int packetId = publish.variableHeader().packetId();
        PublishedMessage message = new PublishedMessage(topic, ByteBufUtil.getBytes(publish.content()), qos,
                publish.fixedHeader().isRetain(), session.clientId(), userName, System.currentTimeMillis(),
                version == MqttVersion.MQTT_5
                        ? Mqtt5PropertiesCodec.fromPublish(publish.variableHeader().properties())
                        : Mqtt5Properties.NONE);
        switch (qos) {
            case 0 -> broker.router().route(message);
            case 1 -> {
                // routed first: once PUBACK is sent the message is in every matching subscription's queue
                broker.router().route(message);
                ctx.writeAndFlush(Packets.pubAck(packetId));
            }
            default -> {
                if (session.receiveQos2(packetId)) {
                    broker.router().route(message);
                }
                ctx.writeAndFlush(Packets.pubRec(packetId));
            }
        }
    }

    private void onSubscribe(ChannelHandlerContext ctx, MqttSubscribeMessage subscribe) {
        List<MqttTopicSubscription> requested = subscribe.payload().topicSubscriptions();
        if (requested.isEmpty()) {
            closeForProtocolError(ctx, "SUBSCRIBE without topic filters [MQTT-3.8.3-3]");
            return;
        }
        int[] codes = new int[requested.size()];
        for (int i = 0; i < codes.length; i++) {
            MqttTopicSubscription s = requested.get(i);
            if (MqttTopics.topicFilterProblem(s.topicName()) != null) {
                codes[i] = version == MqttVersion.MQTT_5 ? SUBACK_TOPIC_FILTER_INVALID : SUBACK_FAILURE_V3;
                continue;
            }
            int granted = Math.min(s.qualityOfService().value(), 2);
            session.addSubscription(s.topicName(), granted);
            broker.router().subscribe(session, s.topicName(), granted, false);
            codes[i] = granted;
        }
        ctx.writeAndFlush(Packets.subAck(subscribe.variableHeader().messageId(), codes));
        // retained messages follow the SUBACK [MQTT-3.8.4-4]; deliver() queues them behind it
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] <= 2) {
                MqttTopicSubscription s = requested.get(i);
                if (s.option().retainHandling() != RetainedHandlingPolicy.DONT_SEND_AT_SUBSCRIBE) {
                    for (PublishedMessage m : broker.router().retained().matching(s.topicName())) {
                        session.deliver(m, Math.min(m.qos(), codes[i]), true);
                    }
                }
            }
        }
    }

    private void onUnsubscribe(ChannelHandlerContext ctx, MqttUnsubscribeMessage unsubscribe) {
        List<String> filters = unsubscribe.payload().topics();
        short[] codes = new short[filters.size()];
        for (int i = 0; i < codes.length; i++) {
            String filter = filters.get(i);
            boolean existed = session.removeSubscription(filter);
            broker.router().unsubscribe(session, filter);
            codes[i] = existed ? UNSUBACK_SUCCESS : UNSUBACK_NO_SUBSCRIPTION;
        }
        // [MQTT-3.10.4-4] UNSUBACK even when nothing was subscribed
        ctx.writeAndFlush(Packets.unsubAck(unsubscribe.variableHeader().messageId(), codes));
    }

    private void onDisconnect(ChannelHandlerContext ctx, MqttMessage msg) {
        boolean keepWill = msg.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader h
                && h.reasonCode() == DISCONNECT_WITH_WILL;
        if (!keepWill) {
            will = null; // [MQTT-3.14.4-3] a normal DISCONNECT discards the will
        }
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            LOG.fine(() -> "Closing client " + session.clientId() + ": keep-alive expired");
            closeWithReason(ctx.channel(), ReasonCode.KEEP_ALIVE_TIMEOUT);
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.fine(() -> "Connection " + describe(ctx) + " failed: " + cause);
        } else {
            LOG.log(Level.WARNING, "Closing connection " + describe(ctx) + " after an unexpected error", cause);
        }
        ctx.close();
    }

    private void onUndecodable(ChannelHandlerContext ctx, Throwable cause) {
        if (session == null && cause instanceof MqttUnacceptableProtocolVersionException) {
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, cause.getMessage());
        } else if (session == null && cause instanceof MqttIdentifierRejectedException) {
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, cause.getMessage());
        } else if (cause instanceof TooLongFrameException) {
            LOG.fine(() -> "Closing " + describe(ctx) + ": packet larger than maxPacketSize " + broker.config().maxPacketSize());
            closeWithReason(ctx.channel(), ReasonCode.PACKET_TOO_LARGE);
        } else {
            LOG.fine(() -> "Closing " + describe(ctx) + ": malformed packet: " + cause.getMessage());
            closeWithReason(ctx.channel(), ReasonCode.MALFORMED_PACKET);
        }
    }

    private void refuse(ChannelHandlerContext ctx, MqttConnectReturnCode code, String why) {
        LOG.fine(() -> "Refused connection from " + ctx.channel().remoteAddress() + " (" + code + "): " + why);
        ctx.writeAndFlush(Packets.connAck(code, false, MqttProperties.NO_PROPERTIES))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void closeForProtocolError(ChannelHandlerContext ctx, String why) {
        LOG.fine(() -> "Closing " + describe(ctx) + ": protocol violation: " + why);
        closeWithReason(ctx.channel(), ReasonCode.PROTOCOL_ERROR);
    }

    /**
     * MQTT 5 clients are told why in a DISCONNECT; 3.x has no server DISCONNECT, the socket just
     * closes. Runs on the channel's own loop, which owns the handler state it reads.
     */
    private static void closeWithReason(Channel channel, ReasonCode reason) {
        channel.eventLoop().execute(() -> {
            MqttConnectionHandler handler = channel.pipeline().get(MqttConnectionHandler.class);
            if (handler != null && handler.version == MqttVersion.MQTT_5 && handler.session != null) {
                channel.writeAndFlush(Packets.disconnect(reason)).addListener(ChannelFutureListener.CLOSE);
            } else {
                channel.close();
            }
        });
    }

    private String describe(ChannelHandlerContext ctx) {
        return session != null ? "client " + session.clientId() : String.valueOf(ctx.channel().remoteAddress());
    }

    private static int packetId(MqttMessage msg) {
        return ((MqttMessageIdVariableHeader) msg.variableHeader()).messageId();
    }
}
