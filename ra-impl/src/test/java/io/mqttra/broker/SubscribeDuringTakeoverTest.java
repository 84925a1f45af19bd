package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.api.Test;

/**
 * A SUBSCRIBE that its connection is still handling when another connection, on another I/O thread,
 * takes the session over with a clean start, which ends the session and its subscriptions
 * [MQTT-3.1.2-4] [MQTT-3.1.4-3]. Found by {@link PipelineFuzzTest} with two event loops: 27
 * subscriptions of ended sessions stayed in the router after 200,000 inputs, each holding a dead
 * session's outbox. Here the interleaving is forced: the broker asks the authorizer between reading the
 * SUBSCRIBE and adding the subscription, and this authorizer lets the second connection in right then.
 * Connections are {@link EmbeddedChannel}s with the broker's real pipeline.
 */
class SubscribeDuringTakeoverTest {

    private final EmbeddedChannel[] taker = new EmbeddedChannel[1];
    private final BrokerConfig config = BrokerConfig.builder().tcp("127.0.0.1", 0).build();
    private final MqttBroker broker = new MqttBroker(config, new BrokerSecurity() {
        @Override
        public Authenticator authenticatorFor(ListenerConfig listener) {
            return Authenticator.ANONYMOUS;
        }

        @Override
        public Authorizer authorizer() {
            return new Authorizer() {
                @Override
                public boolean mayPublish(String clientId, ClientIdentity who, String topic) {
                    return true;
                }

                @Override
                public boolean maySubscribe(String clientId, ClientIdentity who, String filter, String shareName) {
                    if (taker[0] == null) {
                        taker[0] = connect(clientId);
                    }
                    return true;
                }
            };
        }
    });

    @Test
    void aSubscriptionAddedWhileACleanStartEndsTheSessionDoesNotOutliveIt_MQTT_3_1_2_4() {
        EmbeddedChannel first = connect("device-1");
        first.writeInbound(encode(MqttMessageBuilders.subscribe().messageId(1)
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "sensors/#").build()));
        first.runPendingTasks();
        assertTrue(taker[0].isActive(), "the second connection took the session over");
        assertFalse(first.isActive(), "the first connection was closed [MQTT-3.1.4-3]");
        assertEquals(0, broker.router().subscriptionCount(), "subscriptions of the ended session left in the router");
        taker[0].finishAndReleaseAll();
        first.finishAndReleaseAll();
    }

    /** A clean MQTT 3.1.1 connection, logged in (the anonymous login answers on the channel's loop). */
    private EmbeddedChannel connect(String clientId) {
        EmbeddedChannel ch = new EmbeddedChannel(new MqttChannelInitializer(broker, config.listeners().get(0),
                Authenticator.ANONYMOUS, null, null));
        ch.writeInbound(encode(MqttMessageBuilders.connect().clientId(clientId).cleanSession(true)
                .protocolVersion(MqttVersion.MQTT_3_1_1).build()));
        ch.runPendingTasks();
        return ch;
    }

    private static ByteBuf encode(MqttMessage m) {
        EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
        encoder.writeOutbound(m);
        ByteBuf bytes = encoder.readOutbound();
        encoder.finishAndReleaseAll();
        return bytes;
    }
}
