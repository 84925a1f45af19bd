package io.mqttra.broker;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;

/**
 * The pipeline of a TCP connection, top to bottom: frame and check packets (refusing oversized ones
 * before buffering them), decode them, encode replies, then the protocol flow. The keep-alive watchdog is added
 * behind the decoder once CONNECT says how long it is, so that only complete packets count as
 * activity.
 */
final class MqttChannelInitializer extends ChannelInitializer<SocketChannel> {

    /** MQTT 3.1 limited client ids to 23 characters; clients in the field send longer ones, so allow them. */
    private static final int MAX_CLIENT_ID_LENGTH = 65_535;

    private final MqttBroker broker;

    MqttChannelInitializer(MqttBroker broker) {
        this.broker = broker;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        broker.track(ch);
        ch.pipeline()
                .addLast("inspector", new PacketInspector(broker.config().maxPacketSize()))
                .addLast("decoder", new MqttDecoder(broker.config().maxPacketSize(), MAX_CLIENT_ID_LENGTH))
                .addLast("encoder", MqttEncoder.INSTANCE)
                .addLast("connection", new MqttConnectionHandler(broker));
    }
}
