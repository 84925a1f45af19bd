package io.mqttra.broker;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of QoS 0 messages on their way to one connected client that are not yet in its channel's
 * outbound buffer. Together with what waits in that buffer they are bounded by {@code
 * maxClientBufferBytes}, so a burst to a client that reads a little slower is absorbed while a client
 * that stops reading costs at most that much. Atomic rather than under the outbox's monitor: publishers'
 * threads reserve, and the event loop releases on every write.
 */
final class ClientBuffer {

    private final AtomicLong unwritten = new AtomicLong();
    private final long max;

    ClientBuffer(long maxClientBufferBytes) {
        this.max = maxClientBufferBytes;
    }

    /** Whether one more QoS 0 message for a client connected on {@code ch} fits. */
    boolean hasRoom(Channel ch) {
        return unwritten.get() + pendingOnSocket(ch) < max;
    }

    /** Counts a QoS 0 delivery as on its way, until it is written or dropped; nothing when it is already. */
    void reserve(PendingDelivery d) {
        if (d.reservedBytes == 0) {
            d.reservedBytes = d.message.payload().length + d.message.topic().length() + 16L;
            unwritten.addAndGet(d.reservedBytes);
        }
    }

    /** Gives back what {@code d} reserved, as it is dropped rather than written. */
    void release(PendingDelivery d) {
        written(d.reservedBytes);
        d.reservedBytes = 0;
    }

    /** Bytes reserved by a delivery whose packet is now in the channel's outbound buffer. */
    void written(long bytes) {
        if (bytes > 0) {
            unwritten.addAndGet(-bytes);
        }
    }

    /** Bytes written to the channel and not yet handed to the socket; a volatile read, from any thread. */
    private static long pendingOnSocket(Channel ch) {
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }
}
