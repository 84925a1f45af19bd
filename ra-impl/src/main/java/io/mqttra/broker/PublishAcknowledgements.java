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
 * once. One per connection, confined to its event loop.
 */
final class PublishAcknowledgements {

    private static final Logger LOG = Logger.getLogger(PublishAcknowledgements.class.getName());

    /** An acknowledgement waiting for its message to be written by a persistent subscriber. */
    private record Pending(CompletableFuture<Void> stored, MqttMessage ack, int qos2PacketId) {
    }

    private final ChannelHandlerContext ctx;
    private final ClientSession session;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    PublishAcknowledgements(ChannelHandlerContext ctx, ClientSession session) {
        this.ctx = ctx;
        this.session = session;
    }

    /** Sends {@code ack} for a message routed as {@code routing} says, now or once it is stored. */
    void acknowledge(MessageRouter.Routing routing, MqttMessage ack) {
        acknowledge(routing, ack, 0);
    }

    /**
     * As {@link #acknowledge(MessageRouter.Routing, MqttMessage)}, for the PUBREC of a QoS 2 message
     * whose receipt the session recorded: when the message cannot be stored the receipt is forgotten,
     * so that the client's resent PUBLISH is taken as new, not as a duplicate of what was lost.
     */
    void acknowledge(MessageRouter.Routing routing, MqttMessage ack, int qos2PacketId) {
        if (pending.isEmpty() && routing.isStored()) {
            ctx.writeAndFlush(ack);
            return;
        }
        CompletableFuture<Void> stored = routing.stored() == null ? CompletableFuture.completedFuture(null) : routing.stored();
        pending.add(new Pending(stored, ack, qos2PacketId));
        stored.whenComplete((v, e) -> ctx.executor().execute(this::sendStored));
    }

    private void sendStored() {
        boolean wrote = false;
        Pending head;
        while ((head = pending.peek()) != null && head.stored().isDone()) {
            pending.poll();
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
    }

    private void forgetQos2Receipt(Pending p) {
        if (p.qos2PacketId() != 0) {
            session.releaseQos2(p.qos2PacketId());
        }
    }
}
