package io.mqttra.broker;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttMessage;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * The PUBACK/PUBREC packets of one connection, sent in the order its PUBLISH packets came
 * [MQTT-4.6.0-2]. An acknowledgement goes once the persistent subscribers that took the message have
 * stored it, and one that waits holds back those behind it; without persistent subscribers it goes at
 * once. The number waiting is bounded: an MQTT 5 client may not exceed the Receive Maximum (counted by
 * {@link PublishActions} with {@link #waitingInFlight()}), and reading from an MQTT 3.x client pauses
 * while {@code mqtt3ReceiveMaximum} wait, until half of them are sent: the client is not at fault when
 * storage is slow, so it is slowed down rather than disconnected. One per connection, confined to its
 * event loop.
 */
final class PublishAcknowledgements {

    private static final Logger LOG = Logger.getLogger(PublishAcknowledgements.class.getName());

    /**
     * An acknowledgement waiting for its message to be written by a persistent subscriber.
     *
     * @param qos2PacketId the QoS 2 receipt the session recorded for it, or 0
     * @param inFlight whether it counts towards the client's unfinished messages while it waits (a QoS 2
     *     receipt counts in the session instead)
     */
    private record Pending(CompletableFuture<Void> stored, MqttMessage ack, int qos2PacketId, boolean inFlight) {
    }

    private final ChannelHandlerContext ctx;
    private final ClientSession session;
    private final BrokerStats stats;
    /** Waiting acknowledgements at which reads pause (MQTT 3.x), or 0 for never. */
    private final int pauseAt;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private int waitingInFlight;
    private int waitingReceipts;
    private boolean paused;

    PublishAcknowledgements(ChannelHandlerContext ctx, ClientSession session, int pauseAt, BrokerStats stats) {
        this.ctx = ctx;
        this.session = session;
        this.pauseAt = pauseAt;
        this.stats = stats;
    }

    /** Sends {@code ack} for a message routed as {@code routing} says, now or once it is stored. */
    void acknowledge(MessageRouter.Routing routing, MqttMessage ack) {
        acknowledge(routing, ack, 0, true);
    }

    /**
     * As {@link #acknowledge(MessageRouter.Routing, MqttMessage)}, for the PUBREC of a QoS 2 message
     * whose receipt the session recorded ({@code qos2PacketId}; 0 for a resent one): when the message
     * cannot be stored the receipt is forgotten, so that the client's resent PUBLISH is taken as new,
     * not as a duplicate of what was lost.
     */
    void acknowledge(MessageRouter.Routing routing, MqttMessage ack, int qos2PacketId) {
        acknowledge(routing, ack, qos2PacketId, false);
    }

    private void acknowledge(MessageRouter.Routing routing, MqttMessage ack, int qos2PacketId, boolean inFlight) {
        if (pending.isEmpty() && routing.isStored()) {
            ctx.writeAndFlush(ack);
            return;
        }
        CompletableFuture<Void> stored = routing.stored() == null ? CompletableFuture.completedFuture(null) : routing.stored();
        Pending p = new Pending(stored, ack, qos2PacketId, inFlight);
        pending.add(p);
        count(p, 1);
        stored.whenComplete((v, e) -> ctx.executor().execute(this::sendStored));
        if (pauseAt > 0 && pending.size() >= pauseAt && !paused) {
            // what the last read brought in is still handled: at most one read's worth more
            paused = true;
            stats.readsPaused.increment();
            ctx.channel().config().setAutoRead(false);
        }
    }

    /** Acknowledgements waiting that count towards the client's unfinished QoS 1/2 messages. */
    int waitingInFlight() {
        return waitingInFlight;
    }

    /** PUBRECs waiting, of QoS 2 messages the session recorded: the client cannot have released those. */
    int waitingReceipts() {
        return waitingReceipts;
    }

    private void count(Pending p, int delta) {
        waitingInFlight += p.inFlight() ? delta : 0;
        waitingReceipts += p.qos2PacketId() != 0 ? delta : 0;
    }

    private void sendStored() {
        boolean wrote = false;
        Pending head;
        while ((head = pending.peek()) != null && head.stored().isDone()) {
            pending.poll();
            count(head, -1);
            if (head.stored().isCompletedExceptionally()) {
                // not acknowledged: the client sends the message again when it reconnects
                forgetQos2Receipt(head);
                pending.forEach(this::forgetQos2Receipt);
                pending.clear();
                LOG.warning("Closing the connection of client " + session.clientId() + ": a message it published could not be stored");
                ctx.close();
                return;
            }
            ctx.write(head.ack());
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
        if (paused && pending.size() <= pauseAt / 2) {
            paused = false;
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void forgetQos2Receipt(Pending p) {
        if (p.qos2PacketId() != 0) {
            session.releaseQos2(p.qos2PacketId());
        }
    }
}
