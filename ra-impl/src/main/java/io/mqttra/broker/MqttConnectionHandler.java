package io.mqttra.broker;

import io.mqttra.broker.Packets.ReasonCode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The protocol flow of one network connection, from CONNECT to close: it dispatches each packet to
 * the part that handles it. {@link ConnectNegotiation} decides the answer to CONNECT, and this handler
 * applies it; {@link PublishActions} and {@link SubscribeActions} handle what a connected client sends,
 * and acknowledgements of the client's messages go to its session's {@link Outbox}. One instance per
 * channel; every method runs on the channel's event loop. Session state that outlives the connection
 * lives in {@link ClientSession}.
 *
 * <p>It is the one state machine of a connection (waiting for CONNECT, logging in, claiming the client
 * id in the cluster, connected, closing); how a connection is refused or closed is in
 * {@link ConnectionClosing}, and the login and claim steps are the next part that could leave.
 */
final class MqttConnectionHandler extends SimpleChannelInboundHandler<MqttMessage> {

    private static final Logger LOG = Logger.getLogger(MqttConnectionHandler.class.getName());
    private static final RateLimitedLog REFUSED_LOGINS = new RateLimitedLog(LOG, 10_000);
    private static final int PUBREC_FAILURE = 0x80;

    private final MqttBroker broker;
    private final String listenerName;
    private final Authenticator authenticator;
    /** Whether the connection was within maxConnections when it was accepted. */
    private final boolean admitted;
    /** The login under way, or null. */
    private PendingLogin login;
    private ClientSession session;
    private Outbox outbox;
    private boolean v5;
    private PublishedMessage will;
    private long willDelaySeconds;
    /** The will is in the cluster's grid too, for the other nodes to publish should this one die. */
    private boolean willKept;
    private boolean sessionExpiryWasZero;
    private PublishActions publishes;
    private SubscribeActions subscriptions;
    /** A packet broke the rules and the connection is closing. */
    private boolean violated;

    MqttConnectionHandler(MqttBroker broker, String listenerName, Authenticator authenticator, boolean admitted) {
        this.broker = broker;
        this.listenerName = listenerName;
        this.authenticator = authenticator;
        this.admitted = admitted;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (login != null) {
            login.release();
            login = null;
        }
        if (session != null) {
            broker.connectedClientsCounter().decrementAndGet();
            // a connection that ends without a normal DISCONNECT publishes its will [MQTT-3.1.2-8]
            broker.sessions().closed(session, ctx.channel(), broker.isStopping() ? null : will, willDelaySeconds);
            if (willKept) {
                broker.cluster().willDone(session.clientId(), ctx.channel().id().asLongText());
            }
            if (session.isEnded()) {
                broker.cluster().sessionEnded(session.clientId(), ctx.channel().id().asLongText());
            }
            LOG.fine(() -> "Client " + session.clientId() + " disconnected");
        }
        ctx.fireChannelInactive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
        if (msg.decoderResult().isFailure()) {
            ConnectionClosing.afterUndecodable(ctx, session == null, broker.config().maxPacketSize(), describe(ctx),
                    msg.decoderResult().cause());
            return;
        }
        if (login != null) {
            if (!login.hold(msg)) {
                LOG.fine(() -> "Closing " + describe(ctx) + ": more than " + PendingLogin.MAX_HELD + " packets before CONNACK");
                ctx.close();
            }
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
        if (outbox.channel() != ctx.channel() || violated) {
            // taken over, or closing for a violation: the connection no longer speaks for the session
            return;
        }
        try {
            switch (msg.fixedHeader().messageType()) {
                case PUBLISH -> publishes.publish((MqttPublishMessage) msg);
                case PUBACK -> outbox.onPubAck(packetId(msg));
                case PUBREC -> outbox.onPubRec(packetId(msg), reasonCode(msg) >= PUBREC_FAILURE);
                case PUBREL -> {
                    boolean known = session.releaseQos2(packetId(msg));
                    ctx.writeAndFlush(Packets.pubComp(packetId(msg), known ? (byte) 0 : Packets.PACKET_ID_NOT_FOUND));
                }
                case PUBCOMP -> outbox.onPubComp(packetId(msg));
                case SUBSCRIBE -> subscriptions.subscribe((MqttSubscribeMessage) msg);
                case UNSUBSCRIBE -> subscriptions.unsubscribe((MqttUnsubscribeMessage) msg);
                case PINGREQ -> ctx.writeAndFlush(Packets.PINGRESP);
                case DISCONNECT -> onDisconnect(ctx, msg);
                // [MQTT-3.1.0-2] a second CONNECT is a protocol violation; so is AUTH without an
                // authentication method, and any server-to-client packet
                default -> closeForProtocolError(ctx, "unexpected " + msg.fixedHeader().messageType() + " packet");
            }
        } catch (ProtocolViolation v) {
            violated = true; // packets the same read brought in behind it are not handled
            if (v.reason() == ReasonCode.PROTOCOL_ERROR) {
                closeForProtocolError(ctx, v.getMessage());
            } else {
                LOG.fine(() -> "Closing " + describe(ctx) + ": " + v.getMessage());
                ConnectionClosing.closeWithReason(ctx.channel(), v.reason(), v.getMessage());
            }
        }
    }

    private void onConnect(ChannelHandlerContext ctx, MqttConnectMessage connect) {
        ConnectNegotiation.Outcome outcome = ConnectNegotiation.negotiate(connect, broker.config(),
                admitted ? broker.connectedClients() : Integer.MAX_VALUE);
        if (outcome instanceof ConnectNegotiation.Refused refused) {
            if (refused.connectionLimitReached()) {
                broker.stats().connectionsRefused.increment();
            }
            ConnectionClosing.refuse(ctx, refused.code(), refused.why());
            return;
        }
        if (outcome instanceof ConnectNegotiation.Violation violation) {
            closeForProtocolError(ctx, violation.why());
            return;
        }
        PendingLogin pending = PendingLogin.of(ctx, listenerName, connect, (ConnectNegotiation.Accepted) outcome);
        login = pending;
        pending.start(authenticator, broker.loginThrottle().waitBeforeCheck(pending.address(), System.currentTimeMillis()),
                broker.config().connectTimeoutMillis(), this::loggedIn);
    }

    private void loggedIn(PendingLogin pending, LoginResult result) {
        if (login != pending) {
            return;
        }
        ConnectNegotiation.Accepted accepted = pending.accepted();
        if (result instanceof LoginResult.Refused refused) {
            login = null;
            pending.release();
            refuseLogin(pending, refused);
            return;
        }
        ClientIdentity identity = ((LoginResult.Granted) result).identity();
        PublishedMessage acceptedWill = accepted.will() == null ? null : accepted.will().publishedBy(identity);
        if (acceptedWill != null && !PublishActions.mayPublish(broker.authorizer(), accepted.clientId(), identity, acceptedWill.topic())) {
            // a will is a publish that happens later: checked now, when CONNECT is accepted
            login = null;
            pending.release();
            broker.stats().publishesDenied.increment();
            refuseLogin(pending, new LoginResult.Refused(LoginResult.Reason.NOT_AUTHORIZED,
                    "may not publish its will to " + acceptedWill.topic()));
            return;
        }
        ChannelHandlerContext ctx = pending.context();
        // in a cluster the client may hold a connection or a session on another node: that one is taken
        // over first, and the session comes along; packets keep being held until CONNACK meanwhile
        CompletableFuture<SessionHandover> claimed = broker.cluster().claim(accepted.clientId(),
                ctx.channel().id().asLongText(), !accepted.cleanStart());
        if (claimed.isDone()) {
            claimed(pending, identity, acceptedWill, claimed.getNow(null));
        } else {
            claimed.whenComplete((handover, failed) -> ctx.executor().execute(() -> {
                if (login == pending) {
                    if (failed != null) {
                        LOG.warning("Client " + accepted.clientId() + "'s session on another node could not be taken over: " + failed);
                    }
                    claimed(pending, identity, acceptedWill, failed == null ? handover : null);
                }
            }));
        }
    }

    private void claimed(PendingLogin pending, ClientIdentity identity, PublishedMessage acceptedWill, SessionHandover handover) {
        login = null;
        ChannelHandlerContext ctx = pending.context();
        if (!open(ctx, pending.accepted(), identity, acceptedWill, handover)) {
            pending.release();
            return;
        }
        String clientId = pending.accepted().clientId();
        String connectionId = ctx.channel().id().asLongText();
        if (broker.cluster().takenOverMeanwhile(clientId, connectionId)) {
            // another node's CONNECT for this client id came while this one was being claimed, and found no
            // session here to end yet: it ends now [MQTT-3.1.4-2]
            pending.release();
            broker.sessions().delete(clientId, connectionId, ConnectionClosing::closeTakenOver);
            return;
        }
        ArrayDeque<MqttMessage> held = pending.resume();
        for (MqttMessage m; (m = held.poll()) != null; ) {
            try {
                if (ctx.channel().isActive()) {
                    channelRead0(ctx, m);
                }
            } finally {
                ReferenceCountUtil.release(m);
            }
        }
    }

    /**
     * Refuses with the CONNACK code of the reason at the client's protocol level. A wrong password
     * is answered late, later with each further failure from the address (see {@link LoginThrottle}).
     */
    private void refuseLogin(PendingLogin pending, LoginResult.Refused refused) {
        broker.stats().loginsRefused.increment();
        REFUSED_LOGINS.info(() -> "Refused " + pending.request() + ": " + refused.why());
        long delay = refused.reason() == LoginResult.Reason.BAD_CREDENTIALS
                ? broker.loginThrottle().failed(pending.address(), System.currentTimeMillis()) : 0;
        MqttConnectReturnCode code = PendingLogin.connAckCode(refused.reason(), pending.accepted().mqtt5());
        ChannelHandlerContext ctx = pending.context();
        if (delay > 0) {
            ctx.executor().schedule(() -> ConnectionClosing.refuse(ctx, code, refused.why()), delay, TimeUnit.MILLISECONDS);
        } else {
            ConnectionClosing.refuse(ctx, code, refused.why());
        }
    }

    /**
     * Opens (or resumes) the session of a client whose login succeeded, and answers CONNACK; false when
     * {@code maxClientSessions} refuses a new session, which is answered CONNACK 0x97 (3.x: 3).
     */
    private boolean open(ChannelHandlerContext ctx, ConnectNegotiation.Accepted accepted, ClientIdentity identity,
                         PublishedMessage acceptedWill, SessionHandover handover) {
        String clientId = accepted.clientId();
        SessionRegistry.Opened opened = broker.sessions().open(clientId, accepted.cleanStart(), accepted.expirySeconds(),
                ctx.channel(), accepted.limits());
        if (opened == null) {
            broker.stats().connectionsRefused.increment();
            broker.stats().sessionsRefused.increment();
            ConnectionClosing.refuse(ctx, accepted.mqtt5() ? MqttConnectReturnCode.CONNECTION_REFUSED_QUOTA_EXCEEDED
                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                    "maxClientSessions (" + broker.config().maxClientSessions() + ") reached");
            return false;
        }
        v5 = accepted.mqtt5();
        will = acceptedWill;
        willDelaySeconds = accepted.willDelaySeconds();
        sessionExpiryWasZero = accepted.expiryWasZero();
        if (accepted.keepAliveSeconds() > 0) {
            // [MQTT-3.1.2-24] no packet within 1.5 x keep-alive closes the connection
            ctx.pipeline().addBefore(ctx.name(), "keepAlive",
                    new IdleStateHandler(accepted.keepAliveSeconds() * 1500L, 0, 0, TimeUnit.MILLISECONDS));
        }
        session = opened.session();
        outbox = session.outbox();
        session.connectedBy(new ConnectionInfo(identity.name(), address(ctx.channel()), listenerName,
                accepted.version().protocolLevel(), System.currentTimeMillis(), accepted.keepAliveSeconds()));
        publishes = new PublishActions(ctx, session, identity, v5, broker);
        subscriptions = new SubscribeActions(ctx, session, identity, v5, broker);
        broker.connectedClientsCounter().incrementAndGet();
        if (will != null && broker.cluster().isClustered()) {
            broker.cluster().willKept(clientId, ctx.channel().id().asLongText(), will);
            willKept = true;
        }
        boolean present = opened.sessionPresent();
        if (handover != null && !present) {
            restore(handover);
            present = true;
        }
        if (opened.previousConnection() != null && opened.previousConnection() != ctx.channel()) {
            LOG.fine("Client " + clientId + " connected again; closing its previous connection");
            ConnectionClosing.closeWithReason(opened.previousConnection(), ReasonCode.SESSION_TAKEN_OVER, "another connection took the session over");
        }
        // written directly, so it precedes the session replay that attach() queued as tasks [MQTT-3.2.0-1]
        ctx.writeAndFlush(Packets.connAck(MqttConnectReturnCode.CONNECTION_ACCEPTED, present, accepted.connAckProperties()));
        boolean resumed = present;
        LOG.fine(() -> "Client " + clientId + " connected from " + ctx.channel().remoteAddress() + " as " + identity + " with "
                + accepted.version() + (resumed ? ", session resumed" : ""));
        return true;
    }

    /**
     * The session the client had on another node of the cluster: its subscriptions, and the messages it
     * had not delivered, which follow the CONNACK as a resumed session's would.
     */
    private void restore(SessionHandover handover) {
        for (Subscription s : handover.subscriptions()) {
            session.addSubscription(s);
            broker.router().subscribe(outbox, s);
        }
        broker.sessions().keep(session);
        outbox.resume(handover.messages());
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
                broker.sessions().keep(session);
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
            ConnectionClosing.closeWithReason(ctx.channel(), ReasonCode.KEEP_ALIVE_TIMEOUT, "no packet within 1.5 x keep-alive");
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ConnectionClosing.afterError(ctx, cause, describe(ctx));
    }

    private void closeForProtocolError(ChannelHandlerContext ctx, String why) {
        LOG.fine(() -> "Closing " + describe(ctx) + ": protocol violation: " + why);
        ConnectionClosing.closeWithReason(ctx.channel(), ReasonCode.PROTOCOL_ERROR, why);
    }

    /** Whether a close may tell the client why first: an MQTT 5 client with an accepted CONNECT. */
    boolean hearsWhy() {
        return v5 && session != null;
    }

    private static String address(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress() + ":" + a.getPort() : String.valueOf(channel.remoteAddress());
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
