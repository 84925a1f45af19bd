package io.mqttra.broker;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Closes a connection that has not sent a CONNECT within {@code connectTimeoutMillis} of opening,
 * however much else it sent (half a CONNECT, a slow TLS or WebSocket handshake). It takes itself out
 * of the pipeline when the CONNECT arrives, so that later packets do not pass through it.
 */
final class NoConnectTimeoutHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(NoConnectTimeoutHandler.class.getName());

    private final long timeoutMillis;
    private ScheduledFuture<?> timeout;

    NoConnectTimeoutHandler(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> {
            LOG.fine(() -> "Closing " + ctx.channel().remoteAddress() + ": no CONNECT within " + timeoutMillis + " ms");
            ctx.close();
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof MqttConnectMessage connect && connect.decoderResult().isSuccess()) {
            ctx.pipeline().remove(this); // handlerRemoved cancels the timeout
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void cancel() {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
