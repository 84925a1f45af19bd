package io.mqttra.broker;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** Encoding and decoding one QoS 1 PUBLISH through the engine's codec (netty-codec-mqtt plus its own checks). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PacketCodecBenchmark {

    @Param({"64", "1024"})
    public int payloadBytes;

    private EmbeddedChannel encoder;
    private EmbeddedChannel decoder;
    private byte[] payload;
    private ByteBuf encoded;

    @Setup
    public void setUp() {
        encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
        decoder = new EmbeddedChannel(new MqttDecoder(1 << 20));
        payload = new byte[payloadBytes];
        encoder.writeOutbound(Packets.publish("sensors/room1/temperature", payload, 1, false, false, 7, MqttProperties.NO_PROPERTIES));
        encoded = encoder.readOutbound();
    }

    @TearDown
    public void tearDown() {
        encoded.release();
        encoder.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
    }

    @Benchmark
    public int encodePublish() {
        encoder.writeOutbound(Packets.publish("sensors/room1/temperature", payload, 1, false, false, 7, MqttProperties.NO_PROPERTIES));
        ByteBuf out = encoder.readOutbound();
        int n = out.readableBytes();
        out.release();
        return n;
    }

    @Benchmark
    public int decodePublish() {
        decoder.writeInbound(encoded.retainedDuplicate());
        MqttPublishMessage in = decoder.readInbound();
        int n = in.payload().readableBytes();
        in.release();
        return n;
    }
}
