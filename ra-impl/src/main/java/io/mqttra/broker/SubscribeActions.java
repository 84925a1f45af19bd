package io.mqttra.broker;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * What SUBSCRIBE and UNSUBSCRIBE do for one connection (MQTT 5.0 sections 3.8.4 and 3.10.4): change
 * the session's subscriptions and the router's, answer with SUBACK or UNSUBACK, and send the retained
 * messages a new subscription asks for. Confined to the connection's event loop.
 */
final class SubscribeActions {

    private static final Logger LOG = Logger.getLogger(SubscribeActions.class.getName());
    private static final RateLimitedLog DENIALS = new RateLimitedLog(LOG, 10_000);
    private static final int SUBACK_FAILURE_V3 = 0x80;
    private static final int SUBACK_NOT_AUTHORIZED = 0x87;
    private static final int SUBACK_QUOTA_EXCEEDED = 0x97;
    private static final int SUBACK_TOPIC_FILTER_INVALID = 0x8F;
    private static final short UNSUBACK_SUCCESS = 0x00;
    private static final short UNSUBACK_NO_SUBSCRIPTION = 0x11;

    private final ChannelHandlerContext ctx;
    private final ClientSession session;
    private final ClientIdentity subscriber;
    private final boolean v5;
    private final MqttBroker broker;
    private final MessageRouter router;
    private final BrokerConfig config;

    SubscribeActions(ChannelHandlerContext ctx, ClientSession session, ClientIdentity subscriber, boolean v5, MqttBroker broker) {
        this.ctx = ctx;
        this.session = session;
        this.subscriber = subscriber;
        this.v5 = v5;
        this.broker = broker;
        this.router = broker.router();
        this.config = broker.config();
    }

    /**
     * Subscribes to each filter that is valid and within the limits, answers with SUBACK, then sends
     * the retained messages. On a violation no SUBACK is sent, and filters before the offending one stay
     * subscribed, as the connection ends anyway.
     */
    void subscribe(MqttSubscribeMessage subscribe) throws ProtocolViolation {
        List<MqttTopicSubscription> requested = subscribe.payload().topicSubscriptions();
        if (requested.isEmpty()) {
            throw new ProtocolViolation("SUBSCRIBE without topic filters [MQTT-3.8.3-2]");
        }
        int subscriptionId = 0;
        if (v5) {
            Integer id = Mqtt5PropertiesCodec.intValue(subscribe.idAndPropertiesVariableHeader().properties(),
                    MqttPropertyType.SUBSCRIPTION_IDENTIFIER);
            if (id != null && id == 0) {
                throw new ProtocolViolation("Subscription Identifier 0 (MQTT 5.0 section 3.8.2.1.2)");
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
                String limit = TopicLimits.problem(r.topicName(), config);
                if (limit != null) {
                    throw new SubscriptionRequest.InvalidFilter(limit);
                }
                s = SubscriptionRequest.parse(r.topicName())
                        .qos(o.qos().value())
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
                throw new ProtocolViolation("No Local on a shared subscription [MQTT-3.8.3-4]");
            }
            if (!broker.authorizer().maySubscribe(session.clientId(), subscriber, s.filter(), s.shareGroup())) {
                broker.stats().subscriptionsDenied.increment();
                DENIALS.info(() -> "Client " + session.clientId() + " (" + subscriber + ") may not subscribe to " + r.topicName());
                codes[i] = v5 ? SUBACK_NOT_AUTHORIZED : SUBACK_FAILURE_V3;
                continue;
            }
            if (!session.hasRoomFor(s, config.maxSubscriptionsPerClient())) {
                DENIALS.info(() -> "Client " + session.clientId() + " holds maxSubscriptionsPerClient ("
                        + config.maxSubscriptionsPerClient() + ") subscriptions; refused " + r.topicName());
                codes[i] = v5 ? SUBACK_QUOTA_EXCEEDED : SUBACK_FAILURE_V3;
                continue;
            }
            session.addSubscription(s);
            existed[i] = router.subscribe(session.outbox(), s);
            if (session.isEnded()) {
                // taken over with a clean start meanwhile: the registry may have removed the session's
                // subscriptions before this one was added, which would stay in the router for ever
                router.unsubscribe(session.outbox(), s);
            }
            granted[i] = s;
            codes[i] = s.qos();
        }
        int packetId = subscribe.variableHeader().messageId();
        CompletableFuture<Void> ready = clusterReady(granted, existed);
        if (ready.isDone()) {
            answer(packetId, codes, granted, existed);
        } else {
            // in a cluster the SUBACK waits until every node routes here, and retained messages until those
            // published elsewhere before this SUBSCRIBE have arrived
            ready.whenComplete((ok, failed) -> ctx.executor().execute(() -> {
                if (failed != null) {
                    LOG.warning("Client " + session.clientId() + "'s subscription is not known to every node of the cluster: " + failed);
                }
                answer(packetId, codes, granted, existed);
            }));
        }
    }

    private CompletableFuture<Void> clusterReady(Subscription[] granted, boolean[] existed) {
        if (!router.cluster().isClustered()) {
            return LocalRoutes.DONE;
        }
        List<CompletableFuture<Void>> waits = new ArrayList<>(granted.length + 2);
        // a persistent session's new subscriptions are in the grid before SUBACK: they outlive this node
        CompletableFuture<Void> kept = broker.sessions().keep(session);
        if (kept != null) {
            waits.add(kept);
        }
        boolean retained = false;
        for (int i = 0; i < granted.length; i++) {
            if (granted[i] != null) {
                waits.add(router.announced(granted[i]));
                retained |= sendsRetained(granted[i], existed[i]);
            }
        }
        if (retained) {
            waits.add(router.cluster().retainedBarrier());
        }
        return CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new));
    }

    private static boolean sendsRetained(Subscription s, boolean existed) {
        return s.retainHandling() == Subscription.SEND_RETAINED
                || (s.retainHandling() == Subscription.SEND_RETAINED_IF_NEW && !existed);
    }

    private void answer(int packetId, int[] codes, Subscription[] granted, boolean[] existed) {
        ctx.writeAndFlush(Packets.subAck(packetId, codes));
        // retained messages follow the SUBACK [MQTT-3.8.4-4], as each subscription's Retain Handling says
        long now = System.currentTimeMillis();
        for (int i = 0; i < granted.length; i++) {
            Subscription s = granted[i];
            if (s != null && sendsRetained(s, existed[i]) && !session.isEnded()) {
                router.sendRetained(session.outbox(), s, now);
            }
        }
    }

    void unsubscribe(MqttUnsubscribeMessage unsubscribe) {
        List<String> filters = unsubscribe.payload().topics();
        short[] codes = new short[filters.size()];
        for (int i = 0; i < codes.length; i++) {
            Subscription removed = session.removeSubscription(filters.get(i));
            if (removed != null) {
                router.unsubscribe(session.outbox(), removed);
            }
            codes[i] = removed != null ? UNSUBACK_SUCCESS : UNSUBACK_NO_SUBSCRIPTION;
        }
        broker.sessions().keep(session);
        // [MQTT-3.10.4-5] UNSUBACK even when nothing was subscribed
        ctx.writeAndFlush(Packets.unsubAck(unsubscribe.variableHeader().messageId(), codes));
    }
}
