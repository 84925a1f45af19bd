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
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
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
    private static final int PUBREC_FAILURE = 0x80;

    /** An acknowledgement waiting for its message to be written by a persistent subscriber. */
    private record PendingAck(CompletableFuture<Void> stored, MqttMessage ack) {
    }

    /** Only touched on this connection's event loop. */
    private final ArrayDeque<PendingAck> pendingAcks = new java.util.ArrayDeque<>();
    private static final byte NOT_AUTHORIZED = (byte) 0x87;

    private final MqttBroker broker;
    private ScheduledFuture<?> connectTimeout;
    private ClientSession session;
    private MqttVersion version;
    private boolean v5;
    private String userName;
    private PublishedMessage will;
    private long willDelaySeconds;
    private boolean sessionExpiryWasZero;
    private String[] inboundAliases;

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
            broker.connectedClientsCounter().decrementAndGet();
            // a connection that ends without a normal DISCONNECT publishes its will [MQTT-3.1.2-8]
            broker.sessions().closed(session, ctx.channel(), broker.isStopping() ? null : will, willDelaySeconds);
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
        if (session.channel() != ctx.channel()) {
            return; // taken over: this connection is closing and no longer speaks for the session
        }
        switch (msg.fixedHeader().messageType()) {
            case PUBLISH -> onPublish(ctx, (MqttPublishMessage) msg);
            case PUBACK -> session.onPubAck(packetId(msg));
            case PUBREC -> session.onPubRec(packetId(msg), reasonCode(msg) >= PUBREC_FAILURE);
            case PUBREL -> {
                boolean known = session.releaseQos2(packetId(msg));
                ctx.writeAndFlush(Packets.pubComp(packetId(msg), known ? (byte) 0 : Packets.PACKET_ID_NOT_FOUND));
            }
            case PUBCOMP -> session.onPubComp(packetId(msg));
            case SUBSCRIBE -> onSubscribe(ctx, (MqttSubscribeMessage) msg);
            case UNSUBSCRIBE -> onUnsubscribe(ctx, (MqttUnsubscribeMessage) msg);
            case PINGREQ -> ctx.writeAndFlush(Packets.PINGRESP);
            case DISCONNECT -> onDisconnect(ctx, msg);
            // [MQTT-3.1.0-2] a second CONNECT is a protocol violation; so is AUTH without an
            // authentication method, and any server-to-client packet
            default -> closeForProtocolError(ctx, "unexpected " + msg.fixedHeader().messageType() + " packet");
        }
    }

    private void onConnect(ChannelHandlerContext ctx, MqttConnectMessage connect) {
        connectTimeout.cancel(false);
        MqttConnectVariableHeader header = connect.variableHeader();
        MqttConnectPayload payload = connect.payload();
        version = MqttVersion.fromProtocolNameAndLevel(header.name(), (byte) header.version());
        v5 = version == MqttVersion.MQTT_5;
        MqttProperties connectProps = header.properties();

        if (v5 && connectProps.getProperty(MqttPropertyType.AUTHENTICATION_METHOD.value()) != null) {
            // enhanced authentication (AUTH exchanges) is not offered [MQTT-4.12.0-1]
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD, "enhanced authentication requested");
            return;
        }
        BrokerConfig config = broker.config();
        if (broker.connectedClients() >= config.maxConnections()) {
            broker.stats().connectionsRefused.increment();
            refuse(ctx, v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_QUOTA_EXCEEDED
                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                    "maxConnections (" + config.maxConnections() + ") reached");
            return;
        }
        String clientId = payload.clientIdentifier();
        if (clientId != null && clientId.length() > config.maxClientIdLength()) {
            refuse(ctx, v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                    : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                    "client identifier longer than maxClientIdLength (" + config.maxClientIdLength() + ")");
            return;
        }
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
            if (header.willQos() > 2) {
                closeForProtocolError(ctx, "will QoS 3 [MQTT-3.1.2-14]");
                return;
            }
            String problem = MqttTopics.topicNameProblem(payload.willTopic());
            if (problem != null) {
                closeForProtocolError(ctx, "invalid will topic: " + problem);
                return;
            }
            MqttProperties willProps = payload.willProperties();
            will = new PublishedMessage(payload.willTopic(), payload.willMessageInBytes(), header.willQos(),
                    header.isWillRetain(), clientId, userName, System.currentTimeMillis(),
                    v5 ? Mqtt5PropertiesCodec.fromPublish(willProps) : Mqtt5Properties.NONE);
            Integer delay = v5 ? Mqtt5PropertiesCodec.intValue(willProps, MqttPropertyType.WILL_DELAY_INTERVAL) : null;
            willDelaySeconds = delay == null ? 0 : Integer.toUnsignedLong(delay);
        }

        long expirySeconds;
        ConnectionLimits limits;
        if (v5) {
            Integer expiry = Mqtt5PropertiesCodec.intValue(connectProps, MqttPropertyType.SESSION_EXPIRY_INTERVAL);
            expirySeconds = expiry == null ? 0 : Integer.toUnsignedLong(expiry);
            Integer receiveMax = Mqtt5PropertiesCodec.intValue(connectProps, MqttPropertyType.RECEIVE_MAXIMUM);
            Integer maxPacket = Mqtt5PropertiesCodec.intValue(connectProps, MqttPropertyType.MAXIMUM_PACKET_SIZE);
            Integer aliasMax = Mqtt5PropertiesCodec.intValue(connectProps, MqttPropertyType.TOPIC_ALIAS_MAXIMUM);
            if ((receiveMax != null && receiveMax == 0) || (maxPacket != null && maxPacket == 0)) {
                // Receive Maximum and Maximum Packet Size of 0 are protocol errors (MQTT 5.0 section 3.1.2.11)
                refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR, "Receive Maximum or Maximum Packet Size of 0");
                return;
            }
            limits = new ConnectionLimits(true, receiveMax == null ? 65_535 : receiveMax,
                    maxPacket == null ? Integer.MAX_VALUE : (int) Math.min(Integer.toUnsignedLong(maxPacket), Integer.MAX_VALUE),
                    aliasMax == null ? 0 : aliasMax);
            inboundAliases = new String[config.topicAliasMaximum() + 1];
        } else {
            expirySeconds = header.isCleanSession() ? 0 : ClientSession.NEVER_EXPIRES;
            limits = ConnectionLimits.unlimited(config.maxInflightPerClient());
        }
        sessionExpiryWasZero = expirySeconds == 0;
        Long cappedExpiry = null;
        if (expirySeconds > config.maxSessionExpirySeconds()) {
            expirySeconds = config.maxSessionExpirySeconds();
            cappedExpiry = expirySeconds; // MQTT 5 clients are told the interval the broker uses (section 3.2.2.3.2)
        }

        int keepAlive = header.keepAliveTimeSeconds();
        Integer serverKeepAlive = null;
        if ((keepAlive == 0 || keepAlive > config.maxKeepAliveSeconds())
                && config.maxKeepAliveSeconds() < BrokerConfig.DEFAULT_MAX_KEEP_ALIVE) {
            // MQTT 5 clients are told to use this one [MQTT-3.2.2-21]; 3.x clients are held to it too
            keepAlive = config.maxKeepAliveSeconds();
            serverKeepAlive = keepAlive;
        }
        if (keepAlive > 0) {
            // [MQTT-3.1.2-24] no packet within 1.5 x keep-alive closes the connection
            ctx.pipeline().addBefore(ctx.name(), "keepAlive",
                    new IdleStateHandler(keepAlive * 1500L, 0, 0, TimeUnit.MILLISECONDS));
        }

        SessionRegistry.Opened opened = broker.sessions().open(clientId, header.isCleanSession(), expirySeconds,
                ctx.channel(), limits);
        session = opened.session();
        broker.connectedClientsCounter().incrementAndGet();
        if (opened.previousConnection() != null && opened.previousConnection() != ctx.channel()) {
            LOG.fine("Client " + clientId + " connected again; closing its previous connection");
            closeWithReason(opened.previousConnection(), ReasonCode.SESSION_TAKEN_OVER, "another connection took the session over");
        }

        MqttProperties props = MqttProperties.NO_PROPERTIES;
        if (v5) {
            props = new MqttProperties();
            if (assignedId) {
                props.add(new StringProperty(MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value(), clientId));
            }
            props.add(new IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), config.maxPacketSize()));
            props.add(new IntegerProperty(MqttPropertyType.RECEIVE_MAXIMUM.value(), config.maxInflightPerClient()));
            props.add(new IntegerProperty(MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value(), config.topicAliasMaximum()));
            props.add(new IntegerProperty(MqttPropertyType.RETAIN_AVAILABLE.value(), 1));
            props.add(new IntegerProperty(MqttPropertyType.WILDCARD_SUBSCRIPTION_AVAILABLE.value(), 1));
            props.add(new IntegerProperty(MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE.value(), 1));
            props.add(new IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE.value(), 1));
            if (cappedExpiry != null) {
                props.add(new IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), (int) cappedExpiry.longValue()));
            }
            if (serverKeepAlive != null) {
                props.add(new IntegerProperty(MqttPropertyType.SERVER_KEEP_ALIVE.value(), serverKeepAlive));
            }
        }
        // written directly, so it precedes the session replay that attach() queued as tasks [MQTT-3.2.0-1]
        ctx.writeAndFlush(Packets.connAck(MqttConnectReturnCode.CONNECTION_ACCEPTED, opened.sessionPresent(), props));
        String id = clientId;
        LOG.fine(() -> "Client " + id + " connected from " + ctx.channel().remoteAddress() + " with " + version
                + (opened.sessionPresent() ? ", session resumed" : ""));
    }

    private void onPublish(ChannelHandlerContext ctx, MqttPublishMessage publish) {
        String topic = publish.variableHeader().topicName();
        MqttProperties props = publish.variableHeader().properties();
        if (v5) {
            if (props.getProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value()) != null) {
                closeForProtocolError(ctx, "PUBLISH from a client carries a Subscription Identifier [MQTT-3.3.4-6]");
                return;
            }
            Integer alias = Mqtt5PropertiesCodec.intValue(props, MqttPropertyType.TOPIC_ALIAS);
            if (alias != null) {
                if (alias == 0 || alias >= inboundAliases.length) {
                    // [MQTT-3.3.2-9], [MQTT-3.3.2-10]
                    closeWithReason(ctx.channel(), ReasonCode.TOPIC_ALIAS_INVALID,
                            "topic alias " + alias + " outside 1.." + (inboundAliases.length - 1));
                    return;
                }
                if (topic.isEmpty()) {
                    topic = inboundAliases[alias];
                    if (topic == null) {
                        closeForProtocolError(ctx, "topic alias " + alias + " was never set");
                        return;
                    }
                } else {
                    inboundAliases[alias] = topic;
                }
            }
        }
        String problem = MqttTopics.topicNameProblem(topic);
        if (problem == null) {
            problem = topicLimitProblem(topic);
        }
        if (problem != null) {
            // [MQTT-3.3.2-2] wildcards or an empty topic in PUBLISH end the connection
            closeWithReason(ctx.channel(), ReasonCode.TOPIC_NAME_INVALID, problem);
            return;
        }
        int qos = publish.fixedHeader().qosLevel().value();
        int packetId = publish.variableHeader().packetId();
        broker.stats().messagesReceived.increment();
        if (SysTopics.isSysTopic(topic)) {
            // $SYS belongs to the broker: the message is dropped (MQTT 5 clients are told 0x87)
            String sysTopic = topic;
            LOG.fine(() -> "Client " + session.clientId() + " may not publish to " + sysTopic);
            if (qos == 1) {
                ctx.writeAndFlush(Packets.pubAck(packetId, v5 ? NOT_AUTHORIZED : (byte) 0));
            } else if (qos == 2) {
                ctx.writeAndFlush(Packets.pubRec(packetId, v5 ? NOT_AUTHORIZED : (byte) 0));
            }
            return;
        }
        if (v5 && qos == 2 && !session.isReceivingQos2(packetId)
                && session.receivingQos2() >= broker.config().maxInflightPerClient()) {
            closeWithReason(ctx.channel(), ReasonCode.RECEIVE_MAXIMUM_EXCEEDED,
                    "more than " + broker.config().maxInflightPerClient() + " unreleased QoS 2 messages [MQTT-3.3.4-7]");
            return;
        }
        PublishedMessage message = new PublishedMessage(topic, ByteBufUtil.getBytes(publish.content()), qos,
                publish.fixedHeader().isRetain(), session.clientId(), userName, System.currentTimeMillis(),
                v5 ? Mqtt5PropertiesCodec.fromPublish(props) : Mqtt5Properties.NONE);
        switch (qos) {
            case 0 -> broker.router().route(message);
            case 1 -> {
                // routed first: once PUBACK is sent the message is in every matching subscription's queue
                MessageRouter.Routing routing = broker.router().route(message);
                acknowledge(ctx, routing,
                        Packets.pubAck(packetId, routing.receivers() == 0 ? Packets.NO_MATCHING_SUBSCRIBERS : (byte) 0));
            }
            default -> {
                MessageRouter.Routing routing = session.receiveQos2(packetId) ? broker.router().route(message)
                        : new MessageRouter.Routing(1, null);
                acknowledge(ctx, routing,
                        Packets.pubRec(packetId, routing.receivers() == 0 ? Packets.NO_MATCHING_SUBSCRIBERS : (byte) 0));
            }
        }
    }

    /**
     * Sends a PUBACK/PUBREC once the message is stored by the persistent subscribers that took it,
     * keeping acknowledgements in the order their PUBLISHes came [MQTT-4.6.0-2]. Without persistent
     * subscribers it goes at once.
     */
    private void acknowledge(ChannelHandlerContext ctx, MessageRouter.Routing routing, MqttMessage ack) {
        if (pendingAcks.isEmpty() && routing.isStored()) {
            ctx.writeAndFlush(ack);
            return;
        }
        CompletableFuture<Void> stored = routing.stored() == null ? CompletableFuture.completedFuture(null) : routing.stored();
        pendingAcks.add(new PendingAck(stored, ack));
        stored.whenComplete((v, e) -> ctx.executor().execute(() -> sendStoredAcks(ctx)));
    }

    private void sendStoredAcks(ChannelHandlerContext ctx) {
        boolean wrote = false;
        PendingAck head;
        while ((head = pendingAcks.peek()) != null && head.stored().isDone()) {
            pendingAcks.poll();
            if (head.stored().isCompletedExceptionally()) {
                // not acknowledged: the client sends the message again when it reconnects
                pendingAcks.clear();
                LOG.warning("Closing the connection of client " + session.clientId()
                        + ": a message it published could not be stored");
                ctx.close();
                return;
            }
            ctx.write(head.ack());
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
    }

    /** The configured topic limits (maxTopicLength in UTF-8 bytes, maxTopicLevels), or null when within them. */
    private String topicLimitProblem(String topicOrFilter) {
        BrokerConfig config = broker.config();
        if (PacketSizes.utf8Length(topicOrFilter) > config.maxTopicLength()) {
            return "longer than maxTopicLength (" + config.maxTopicLength() + " bytes)";
        }
        int levels = 1;
        for (int i = 0; i < topicOrFilter.length(); i++) {
            if (topicOrFilter.charAt(i) == '/') {
                levels++;
            }
        }
        return levels > config.maxTopicLevels() ? "more than maxTopicLevels (" + config.maxTopicLevels() + ") levels" : null;
    }

    private void onSubscribe(ChannelHandlerContext ctx, MqttSubscribeMessage subscribe) {
        List<MqttTopicSubscription> requested = subscribe.payload().topicSubscriptions();
        if (requested.isEmpty()) {
            closeForProtocolError(ctx, "SUBSCRIBE without topic filters [MQTT-3.8.3-2]");
            return;
        }
        int subscriptionId = 0;
        if (v5) {
            Integer id = Mqtt5PropertiesCodec.intValue(subscribe.idAndPropertiesVariableHeader().properties(),
                    MqttPropertyType.SUBSCRIPTION_IDENTIFIER);
            if (id != null && id == 0) {
                closeForProtocolError(ctx, "Subscription Identifier 0 (MQTT 5.0 section 3.8.2.1.2)");
                return;
            }
            subscriptionId = id == null ? 0 : id;
        }
        Subscription[] granted = new Subscription[requested.size()];
        int[] codes = new int[requested.size()];
        boolean[] existed = new boolean[requested.size()];
        for (int i = 0; i < codes.length; i++) {
            MqttTopicSubscription r = requested.get(i);
            MqttSubscriptionOption o = r.option();
            Subscription s;
            try {
                String limit = topicLimitProblem(r.topicName());
                if (limit != null) {
                    throw new SubscriptionRequest.InvalidFilter(limit);
                }
                s = SubscriptionRequest.parse(r.topicName())
                        .qos(Math.min(o.qos().value(), 2))
                        .noLocal(v5 && o.isNoLocal())
                        .retainAsPublished(v5 && o.isRetainAsPublished())
                        .retainHandling(v5 ? o.retainHandling().value() : Subscription.SEND_RETAINED)
                        .subscriptionId(subscriptionId)
                        .build();
            } catch (SubscriptionRequest.InvalidFilter e) {
                LOG.fine(() -> "Client " + session.clientId() + " subscribed to invalid filter '" + r.topicName() + "': " + e.getMessage());
                codes[i] = v5 ? SUBACK_TOPIC_FILTER_INVALID : SUBACK_FAILURE_V3;
                continue;
            }
            if (s.isShared() && s.noLocal()) {
                closeForProtocolError(ctx, "No Local on a shared subscription [MQTT-3.8.3-4]");
                return;
            }
            session.addSubscription(s);
            existed[i] = broker.router().subscribe(session, s);
            granted[i] = s;
            codes[i] = s.qos();
        }
        ctx.writeAndFlush(Packets.subAck(subscribe.variableHeader().messageId(), codes));
        // retained messages follow the SUBACK [MQTT-3.8.4-4], as each subscription's Retain Handling says
        long now = System.currentTimeMillis();
        for (int i = 0; i < granted.length; i++) {
            Subscription s = granted[i];
            if (s != null && (s.retainHandling() == Subscription.SEND_RETAINED
                    || (s.retainHandling() == Subscription.SEND_RETAINED_IF_NEW && !existed[i]))) {
                broker.router().sendRetained(session, s, now);
            }
        }
    }

    private void onUnsubscribe(ChannelHandlerContext ctx, MqttUnsubscribeMessage unsubscribe) {
        List<String> filters = unsubscribe.payload().topics();
        short[] codes = new short[filters.size()];
        for (int i = 0; i < codes.length; i++) {
            Subscription removed = session.removeSubscription(filters.get(i));
            if (removed != null) {
                broker.router().unsubscribe(session, removed);
            }
            codes[i] = removed != null ? UNSUBACK_SUCCESS : UNSUBACK_NO_SUBSCRIPTION;
        }
        // [MQTT-3.10.4-5] UNSUBACK even when nothing was subscribed
        ctx.writeAndFlush(Packets.unsubAck(unsubscribe.variableHeader().messageId(), codes));
    }

    private void onDisconnect(ChannelHandlerContext ctx, MqttMessage msg) {
        if (msg.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader h) {
            Integer expiry = Mqtt5PropertiesCodec.intValue(h.properties(), MqttPropertyType.SESSION_EXPIRY_INTERVAL);
            if (expiry != null) {
                if (sessionExpiryWasZero && expiry != 0) {
                    closeForProtocolError(ctx, "DISCONNECT sets a session expiry after CONNECT set 0 [MQTT-3.14.2-2]");
                    return;
                }
                session.setExpirySeconds(Integer.toUnsignedLong(expiry));
            }
            if (h.reasonCode() != 0) {
                // 0x04 asks for the will, and an error reason is no normal disconnection either
                ctx.close();
                return;
            }
        }
        will = null; // [MQTT-3.14.4-3] a normal DISCONNECT (reason 0x00) discards the will
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            LOG.fine(() -> "Closing client " + session.clientId() + ": keep-alive expired");
            closeWithReason(ctx.channel(), ReasonCode.KEEP_ALIVE_TIMEOUT, "no packet within 1.5 x keep-alive");
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.fine(() -> "Connection " + describe(ctx) + " failed: " + cause);
            ctx.close();
        } else if (cause instanceof TooLongFrameException) {
            LOG.fine(() -> "Closing " + describe(ctx) + ": " + cause.getMessage());
            closeWithReason(ctx.channel(), ReasonCode.PACKET_TOO_LARGE, cause.getMessage());
        } else if (cause instanceof MalformedPacketException) {
            LOG.fine(() -> "Closing " + describe(ctx) + ": malformed packet: " + cause.getMessage());
            closeWithReason(ctx.channel(), ReasonCode.MALFORMED_PACKET, cause.getMessage());
        } else {
            LOG.log(Level.WARNING, "Closing connection " + describe(ctx) + " after an unexpected error", cause);
            closeWithReason(ctx.channel(), ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, null);
        }
    }

    private void onUndecodable(ChannelHandlerContext ctx, Throwable cause) {
        if (session == null && cause instanceof MqttUnacceptableProtocolVersionException) {
            refuseUnsupportedVersion(ctx, cause.getMessage());
        } else if (session == null && cause instanceof MqttIdentifierRejectedException) {
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, cause.getMessage());
        } else if (cause instanceof TooLongFrameException) {
            LOG.fine(() -> "Closing " + describe(ctx) + ": packet larger than maxPacketSize " + broker.config().maxPacketSize());
            closeWithReason(ctx.channel(), ReasonCode.PACKET_TOO_LARGE, "packet larger than " + broker.config().maxPacketSize() + " bytes");
        } else {
            LOG.fine(() -> "Closing " + describe(ctx) + ": malformed packet: " + cause.getMessage());
            closeWithReason(ctx.channel(), ReasonCode.MALFORMED_PACKET, cause.getMessage());
        }
    }

    /**
     * A protocol level the broker does not speak: 3.x-format CONNACK code 1 for older levels; for
     * newer ones the MQTT 5 format with 0x84, which a client newer than 5.0 can read [MQTT-3.1.2-2].
     */
    private void refuseUnsupportedVersion(ChannelHandlerContext ctx, String why) {
        LOG.fine(() -> "Refused connection from " + ctx.channel().remoteAddress() + ": " + why);
        ctx.writeAndFlush(ctx.alloc().buffer(5).writeBytes(PacketInspector.isNewerThanMqtt5(ctx)
                ? new byte[] {0x20, 0x03, 0x00, (byte) 0x84, 0x00}
                : new byte[] {0x20, 0x02, 0x00, 0x01}))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void refuse(ChannelHandlerContext ctx, MqttConnectReturnCode code, String why) {
        LOG.fine(() -> "Refused connection from " + ctx.channel().remoteAddress() + " (" + code + "): " + why);
        ctx.writeAndFlush(Packets.connAck(code, false, MqttProperties.NO_PROPERTIES))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void closeForProtocolError(ChannelHandlerContext ctx, String why) {
        LOG.fine(() -> "Closing " + describe(ctx) + ": protocol violation: " + why);
        closeWithReason(ctx.channel(), ReasonCode.PROTOCOL_ERROR, why);
    }

    /**
     * MQTT 5 clients are told why in a DISCONNECT with a reason code and string [MQTT-4.13.1-1]; 3.x
     * has no server DISCONNECT, the socket just closes. Runs on the channel's own loop, which owns the
     * handler state it reads.
     */
    private static void closeWithReason(Channel channel, ReasonCode reason, String reasonString) {
        channel.eventLoop().execute(() -> {
            MqttConnectionHandler handler = channel.pipeline().get(MqttConnectionHandler.class);
            if (handler != null && handler.v5 && handler.session != null && channel.isActive()) {
                channel.writeAndFlush(Packets.disconnect(reason, reasonString)).addListener(ChannelFutureListener.CLOSE);
                // a client that does not read must not keep the connection open [MQTT-3.1.2-24]
                channel.eventLoop().schedule(() -> channel.close(), 1, TimeUnit.SECONDS);
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

    private static int reasonCode(MqttMessage msg) {
        return msg.variableHeader() instanceof MqttPubReplyMessageVariableHeader h ? h.reasonCode() & 0xFF : 0;
    }
}
