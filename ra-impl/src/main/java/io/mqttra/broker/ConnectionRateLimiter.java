package io.mqttra.broker;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Closes new connections from an address that opened more than the configured number in the
 * current second, before they cost a CONNECT. A fixed one-second window per address; windows of
 * addresses that went quiet are swept once a second.
 */
@Sharable
final class ConnectionRateLimiter extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(ConnectionRateLimiter.class.getName());

    private static final class Window {
        long second;
        int count;
    }

    private final int perSecond;
    private final BrokerStats stats;
    private final ConcurrentHashMap<InetAddress, Window> windows = new ConcurrentHashMap<>();
    private volatile long lastSweep;

    ConnectionRateLimiter(int perSecond, BrokerStats stats) {
        this.perSecond = perSecond;
        this.stats = stats;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress remote && !admit(remote.getAddress())) {
            stats.connectionsRefused.increment();
            stats.connectionsRateLimited.increment();
            LOG.fine(() -> "Closing connection from " + remote + ": more than " + perSecond + " connections per second");
            ctx.close();
            return;
        }
        ctx.pipeline().remove(this);
        super.channelActive(ctx);
    }

    private boolean admit(InetAddress address) {
        long second = System.nanoTime() / 1_000_000_000L;
        if (second != lastSweep) {
            lastSweep = second;
            windows.values().removeIf(w -> w.second < second);
        }
        Window w = windows.computeIfAbsent(address, a -> new Window());
        synchronized (w) {
            if (w.second != second) {
                w.second = second;
                w.count = 0;
            }
            return ++w.count <= perSecond;
        }
    }
}
