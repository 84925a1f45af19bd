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
    private record Pending(CompletableFuture<Void> stored, MqttMessage ack) {
    }

    private final ChannelHandlerContext ctx;
    private final String clientId;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    PublishAcknowledgements(ChannelHandlerContext ctx, String clientId) {
        this.ctx = ctx;
        this.clientId = clientId;
    }

    /** Sends {@code ack} for a message routed as {@code routing} says, now or once it is stored. */
    void acknowledge(MessageRouter.Routing routing, MqttMessage ack) {
        if (pending.isEmpty() && routing.isStored()) {
            ctx.writeAndFlush(ack);
            return;
        }
        CompletableFuture<Void> stored = routing.stored() == null ? CompletableFuture.completedFuture(null) : routing.stored();
        pending.add(new Pending(stored, ack));
        stored.whenComplete((v, e) -> ctx.executor().execute(this::sendStored));
    }

    private void sendStored() {
        boolean wrote = false;
        Pending head;
        while ((head = pending.peek()) != null && head.stored().isDone()) {
            pending.poll();
            if (head.stored().isCompletedExceptionally()) {
                // not acknowledged: the client sends the message again when it reconnects
                pending.clear();
                LOG.warning("Closing the connection of client " + clientId + ": a message it published could not be stored");
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
}
