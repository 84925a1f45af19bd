package io.mqttra.broker;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;

/**
 * The pipeline of one connection, top to bottom: count bytes, limit the connection rate, then TLS
 * and the WebSocket handshake and framing where the listener has them, then frame and check MQTT
 * packets (refusing oversized ones before buffering them), decode them, encode replies, close the
 * connection if no CONNECT comes in time, and the protocol flow. The connect timeout leaves the
 * pipeline when CONNECT arrives; the keep-alive watchdog is added behind the decoder once CONNECT says
 * how long it is, so that only complete packets count as activity. Any channel type: the listeners' are
 * TCP sockets, and the in-process fuzz test drives the same pipeline over Netty's local transport.
 */
final class MqttChannelInitializer extends ChannelInitializer<Channel> {

    /** Subprotocols MQTT clients ask for: "mqtt" (3.1.1 and 5.0), "mqttv3.1" (3.1, older Paho JavaScript). */
    private static final String WEBSOCKET_SUBPROTOCOLS = "mqtt,mqttv3.1";
    private static final int MAX_HANDSHAKE_BYTES = 65_536;
    /** Flushes merged at most before one is let through, so a long burst still reaches the client. */
    private static final int FLUSH_CONSOLIDATION_LIMIT = 64;

    private final MqttBroker broker;
    private final ListenerConfig listener;
    private final SslContext tls;
    private final ConnectionRateLimiter rateLimiter;
    private final Authenticator authenticator;

    MqttChannelInitializer(MqttBroker broker, ListenerConfig listener, Authenticator authenticator, SslContext tls,
                           ConnectionRateLimiter rateLimiter) {
        this.broker = broker;
        this.listener = listener;
        this.authenticator = authenticator;
        this.tls = tls;
        this.rateLimiter = rateLimiter;
    }

    @Override
    protected void initChannel(Channel ch) {
        boolean admitted = broker.track(ch);
        BrokerConfig config = broker.config();
        ChannelPipeline p = ch.pipeline();
        p.addLast("traffic", broker.trafficCounter());
        if (rateLimiter != null) {
            p.addLast("rateLimit", rateLimiter);
        }
        if (tls != null) {
            p.addLast("tls", tls.newHandler(ch.alloc()));
        }
        if (listener.transport().isWebSocket()) {
            p.addLast("http", new HttpServerCodec());
            p.addLast("httpAggregator", new HttpObjectAggregator(MAX_HANDSHAKE_BYTES));
            p.addLast("webSocket", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                    .websocketPath(listener.path())
                    .subprotocols(WEBSOCKET_SUBPROTOCOLS)
                    .maxFramePayloadLength(config.maxPacketSize())
                    .checkStartsWith(false)
                    .handshakeTimeoutMillis(config.connectTimeoutMillis())
                    .build()));
            p.addLast("webSocketFrames", WebSocketFrames.INSTANCE);
        }
        // one socket write per burst: flushes from other threads' deliveries and from a read loop's
        // acknowledgements are merged until the event loop has run what is queued, instead of a
        // system call per packet
        p.addLast("flushes", new FlushConsolidationHandler(FLUSH_CONSOLIDATION_LIMIT, true));
        p.addLast("inspector", new PacketInspector(config.maxPacketSize()));
        p.addLast("decoder", new MqttDecoder(config.maxPacketSize(), config.maxClientIdLength()));
        p.addLast("encoder", MqttEncoder.INSTANCE);
        p.addLast("connectTimeout", new NoConnectTimeoutHandler(config.connectTimeoutMillis()));
        p.addLast("connection", new MqttConnectionHandler(broker, listener.name(), authenticator, admitted));
    }
}
