package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageFactory;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The connect timeout on an in-memory channel, with its clock advanced by hand. */
class NoConnectTimeoutHandlerTest {

    private static final long TIMEOUT = 1000;

    private static EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new NoConnectTimeoutHandler(TIMEOUT));
        channel.pipeline().fireChannelActive();
        return channel;
    }

    @Test
    void connectionWithoutConnectIsClosedAfterTheTimeout() {
        EmbeddedChannel channel = channel();
        channel.advanceTimeBy(TIMEOUT - 1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen());
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertFalse(channel.isOpen());
    }

    @Test
    void connectPassesOnAndTakesTheHandlerOutOfThePipeline() {
        EmbeddedChannel channel = channel();
        MqttConnectMessage connect = MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_3_1_1).clientId("c").build();
        channel.writeInbound(connect);
        assertSame(connect, channel.readInbound());
        assertNull(channel.pipeline().get(NoConnectTimeoutHandler.class));
        channel.advanceTimeBy(TIMEOUT * 2, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen());
        channel.finishAndReleaseAll();
    }

    @Test
    void anUndecodableConnectKeepsTheTimeout() {
        // what Netty's decoder passes on for a CONNECT it cannot read; the handler behind answers it,
        // and if that did not close the connection, the timeout still must
        EmbeddedChannel channel = channel();
        MqttMessage invalid = MqttMessageFactory.newInvalidMessage(
                new MqttFixedHeader(MqttMessageType.CONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0), null,
                new IllegalArgumentException("malformed"));
        channel.writeInbound(invalid);
        assertSame(invalid, channel.readInbound());
        assertNotNull(channel.pipeline().get(NoConnectTimeoutHandler.class));
        channel.advanceTimeBy(TIMEOUT, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertFalse(channel.isOpen());
    }

    @Test
    void otherMessagesPassOnAndKeepTheTimeout() {
        EmbeddedChannel channel = channel();
        channel.writeInbound("not a CONNECT");
        assertSame("not a CONNECT", channel.readInbound());
        channel.advanceTimeBy(TIMEOUT, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertFalse(channel.isOpen());
    }
}
