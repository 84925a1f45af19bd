package io.mqttra.broker;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The login of one CONNECT while its authenticator decides, which may take a realm's round trip: the
 * connection's reads are paused, the packets a client sent behind CONNECT are held, and the answer
 * (or a timeout) comes back on the connection's own event loop, once. Confined to that loop.
 */
final class PendingLogin {

    /** Packets a client may send behind its CONNECT before the login is decided. */
    static final int MAX_HELD = 64;

    /** Told the answer, on the connection's loop. */
    interface Answer {
        void answered(PendingLogin login, LoginResult result);
    }

    private final ChannelHandlerContext ctx;
    private final ConnectNegotiation.Accepted accepted;
    private final LoginRequest request;
    private final ArrayDeque<MqttMessage> held = new ArrayDeque<>(2);
    private boolean answered;

    private PendingLogin(ChannelHandlerContext ctx, ConnectNegotiation.Accepted accepted, LoginRequest request) {
        this.ctx = ctx;
        this.accepted = accepted;
        this.request = request;
    }

    /** The login of {@code connect}, accepted by the negotiation, on the listener named {@code listenerName}. */
    static PendingLogin of(ChannelHandlerContext ctx, String listenerName, MqttConnectMessage connect,
                           ConnectNegotiation.Accepted accepted) {
        InetSocketAddress remote = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a : null;
        return new PendingLogin(ctx, accepted, new LoginRequest(listenerName, accepted.clientId(), accepted.userName(),
                connect.payload().passwordInBytes(), remote, peerCertificates(ctx), connect.variableHeader().version()));
    }

    ChannelHandlerContext context() {
        return ctx;
    }

    ConnectNegotiation.Accepted accepted() {
        return accepted;
    }

    LoginRequest request() {
        return request;
    }

    InetAddress address() {
        return request.remoteAddress() == null ? null : request.remoteAddress().getAddress();
    }

    /**
     * Pauses reads and asks {@code authenticator}, after {@code waitMillis} when the address is being
     * slowed down. An answer that is there at once (anonymous listeners) is applied at once, without a
     * timeout task.
     */
    void start(Authenticator authenticator, long waitMillis, long timeoutMillis, Answer answer) {
        ctx.channel().config().setAutoRead(false);
        if (waitMillis > 0) {
            ctx.executor().schedule(() -> ask(authenticator, timeoutMillis, answer), waitMillis, TimeUnit.MILLISECONDS);
        } else {
            ask(authenticator, timeoutMillis, answer);
        }
    }

    private void ask(Authenticator authenticator, long timeoutMillis, Answer answer) {
        if (!ctx.channel().isActive()) {
            return;
        }
        CompletableFuture<LoginResult> result;
        try {
            result = authenticator.login(request).toCompletableFuture();
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        if (result.isDone()) {
            finish(answer, result.handle(PendingLogin::orFailure).join());
            return;
        }
        ScheduledFuture<?> timeout = ctx.executor().schedule(() -> finish(answer, LoginResult.refused(
                LoginResult.Reason.UNAVAILABLE, "no answer from the authenticator within " + timeoutMillis + " ms")),
                timeoutMillis, TimeUnit.MILLISECONDS);
        result.whenComplete((r, error) -> ctx.executor().execute(() -> {
            timeout.cancel(false);
            finish(answer, orFailure(r, error));
        }));
    }

    private static LoginResult orFailure(LoginResult result, Throwable error) {
        return result != null ? result : LoginResult.refused(LoginResult.Reason.UNAVAILABLE, "the authenticator failed: " + error);
    }

    private void finish(Answer answer, LoginResult result) {
        if (answered || !ctx.channel().isActive()) {
            return; // answered already (the timeout came first), or the client left
        }
        answered = true;
        if (request.password() != null) {
            Arrays.fill(request.password(), (byte) 0); // the authenticator is done with it; no copy outlives the login
        }
        answer.answered(this, result);
    }

    /** Holds a packet sent behind CONNECT; false when there are too many, and the connection should close. */
    boolean hold(MqttMessage msg) {
        if (held.size() >= MAX_HELD) {
            return false;
        }
        held.add(ReferenceCountUtil.retain(msg));
        return true;
    }

    /** Resumes reads and hands over the held packets, which the caller handles and releases. */
    ArrayDeque<MqttMessage> resume() {
        ctx.channel().config().setAutoRead(true);
        return held;
    }

    /** Releases the held packets: the login was refused, or the client left. */
    void release() {
        for (MqttMessage m; (m = held.poll()) != null; ) {
            ReferenceCountUtil.release(m);
        }
    }

    /** The CONNACK code of a refusal at the client's protocol level. */
    static MqttConnectReturnCode connAckCode(LoginResult.Reason reason, boolean v5) {
        return switch (reason) {
            case BAD_CREDENTIALS -> v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
                    : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD;
            case NOT_AUTHORIZED -> v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
            case UNAVAILABLE -> v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
        };
    }

    private static List<X509Certificate> peerCertificates(ChannelHandlerContext ctx) {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls == null) {
            return List.of();
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : tls.engine().getSession().getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    chain.add(x);
                }
            }
            return chain;
        } catch (SSLPeerUnverifiedException e) {
            return List.of(); // the listener does not ask for client certificates, or the client sent none
        }
    }
}
