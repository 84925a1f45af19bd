package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ResourceLeakDetector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A seeded random mutator of valid packets of every type, at every protocol level, sent to a running
 * broker over TCP: no input may make an exception escape the connection's handling (a WARNING
 * "unexpected error" line), leak a buffer (Netty's leak detector at PARANOID), or hurt other clients.
 * A short run here; {@code -Dfuzz.inputs=10000000} for the long one. A failing input is reproduced
 * from the seed printed with it.
 */
class PacketFuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 20261202L);
    private static final int INPUTS = Integer.getInteger("fuzz.inputs", 10_000);

    private final List<byte[]> corpus = validPackets();

    @Test
    void mutatedPacketsCloseTheirConnectionAndNothingElse() throws Exception {
        ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        List<String> problems = new CopyOnWriteArrayList<>();
        Handler watch = new Handler() {
            @Override
            public void publish(LogRecord r) {
                String message = String.valueOf(r.getMessage());
                if (r.getLevel().intValue() >= Level.WARNING.intValue()
                        && (message.contains("unexpected error") || message.contains("LEAK"))) {
                    problems.add(message + (r.getThrown() != null ? ": " + r.getThrown() : ""));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(watch);
        // thousands of connections a second from 127.0.0.1: no per-address rate
        MqttBroker broker = new MqttBroker(BrokerConfig.builder().tcp("127.0.0.1", 0).sysIntervalSeconds(0)
                .maxPacketSize(64 * 1024).connectTimeoutMillis(2000).maxConnectionsPerSecondPerAddress(0).build());
        broker.start();
        try {
            Random random = new Random(SEED);
            for (int i = 0; i < INPUTS; i++) {
                long inputSeed = random.nextLong();
                byte[] input = mutatedInput(new Random(inputSeed));
                send(broker, input);
                if (!problems.isEmpty()) {
                    throw new AssertionError("input " + i + " (seed " + inputSeed + "): " + problems);
                }
            }
            // leaks are reported when a leaked buffer is collected and the next one is allocated
            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(100);
                ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
                b.release();
            }
            assertTrue(problems.isEmpty(), problems.toString());
            assertTrue(broker.stats().connectionsTotal() >= INPUTS, "every input reached the broker");
            assertControlClientStillServed(broker);
        } finally {
            broker.stop();
            root.removeHandler(watch);
            ResourceLeakDetector.setLevel(before);
        }
    }

    /** Sends one input on a connection of its own and reads until the broker closes it or a short while passes. */
    private static void send(MqttBroker broker, byte[] input) throws IOException {
        try (Socket s = new Socket("127.0.0.1", broker.localAddress().getPort())) {
            s.setSoTimeout(200);
            OutputStream out = s.getOutputStream();
            out.write(input);
            out.flush();
            s.shutdownOutput(); // the broker reads the input, then the end of the stream, and closes
            InputStream in = s.getInputStream();
            byte[] sink = new byte[4096];
            try {
                while (in.read(sink) >= 0) {
                    // drain what the broker answers
                }
            } catch (IOException timeoutOrReset) {
                // the broker may keep a valid session open, or reset the connection: both are fine
            }
        } catch (IOException refused) {
            // a reset while writing: the broker closed first
        }
    }

    private static void assertControlClientStillServed(MqttBroker broker) throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.localAddress())) {
            c.connect("control");
            assertEquals(0, c.read().body()[1]);
            c.subscribe(1, "fuzz/control", 1);
            c.read();
            c.publish("fuzz/control", "still here", 1, 2);
            boolean gotIt = false;
            for (int i = 0; i < 3 && !gotIt; i++) {
                RawMqttClient.Packet p = c.read();
                gotIt = p.type() == RawMqttClient.PUBLISH;
            }
            assertTrue(gotIt, "the broker still routes for other clients");
        }
    }

    /** A valid CONNECT (or none), then one to three packets of the corpus, one of them mutated. */
    private byte[] mutatedInput(Random r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (r.nextInt(4) != 0) {
            byte[] connect = corpus.get(r.nextInt(3)); // the first three are CONNECTs of 3.1, 3.1.1 and 5.0
            bytes.writeBytes(r.nextInt(3) == 0 ? mutate(connect, r) : connect);
        }
        int packets = 1 + r.nextInt(3);
        for (int i = 0; i < packets; i++) {
            byte[] p = corpus.get(r.nextInt(corpus.size()));
            bytes.writeBytes(i == packets - 1 || r.nextBoolean() ? mutate(p, r) : p);
        }
        return bytes.toByteArray();
    }

    private static byte[] mutate(byte[] packet, Random r) {
        byte[] p = packet.clone();
        switch (r.nextInt(6)) {
            case 0 -> { // flip bits
                for (int n = 1 + r.nextInt(4); n > 0; n--) {
                    int i = r.nextInt(p.length);
                    p[i] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> p[r.nextInt(p.length)] = (byte) r.nextInt(256); // replace a byte
            case 2 -> p = java.util.Arrays.copyOf(p, r.nextInt(p.length)); // truncate
            case 3 -> { // a remaining length that lies
                if (p.length > 1) {
                    p[1] = (byte) r.nextInt(256);
                }
            }
            case 4 -> { // a byte of another packet type and flags
                p[0] = (byte) r.nextInt(256);
            }
            default -> { // random bytes inserted
                int at = r.nextInt(p.length + 1);
                byte[] noise = new byte[1 + r.nextInt(16)];
                r.nextBytes(noise);
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                b.write(p, 0, at);
                b.writeBytes(noise);
                b.write(p, at, p.length - at);
                p = b.toByteArray();
            }
        }
        return p.length == 0 ? new byte[] {(byte) r.nextInt(256)} : p;
    }

    /** Valid packets of every type, encoded by Netty's own encoder. */
    private static List<byte[]> validPackets() {
        List<MqttMessage> messages = new ArrayList<>();
        for (MqttVersion version : new MqttVersion[] {MqttVersion.MQTT_3_1, MqttVersion.MQTT_3_1_1, MqttVersion.MQTT_5}) {
            MqttProperties props = new MqttProperties();
            if (version == MqttVersion.MQTT_5) {
                props.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), 60));
                props.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value(), 5));
            }
            MqttConnectMessage connect = MqttMessageBuilders.connect().clientId("fuzz-" + version.protocolLevel())
                    .protocolVersion(version).cleanSession(true).keepAlive(30).willFlag(true).willTopic("fuzz/will")
                    .willMessage("gone".getBytes(StandardCharsets.UTF_8)).willQoS(MqttQoS.AT_LEAST_ONCE)
                    .username("user").password("pass".getBytes(StandardCharsets.UTF_8)).properties(props).build();
            messages.add(connect);
        }
        MqttProperties publishProps = new MqttProperties();
        publishProps.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.TOPIC_ALIAS.value(), 1));
        publishProps.add(new MqttProperties.StringProperty(MqttProperties.MqttPropertyType.CONTENT_TYPE.value(), "text/plain"));
        publishProps.add(new MqttProperties.UserProperty("k", "v"));
        for (MqttQoS qos : new MqttQoS[] {MqttQoS.AT_MOST_ONCE, MqttQoS.AT_LEAST_ONCE, MqttQoS.EXACTLY_ONCE}) {
            messages.add(MqttMessageBuilders.publish().topicName("fuzz/a/b").qos(qos).retained(qos == MqttQoS.AT_LEAST_ONCE)
                    .messageId(7).payload(ByteBufAllocator.DEFAULT.buffer().writeBytes("payload".getBytes(StandardCharsets.UTF_8)))
                    .properties(qos == MqttQoS.EXACTLY_ONCE ? publishProps : MqttProperties.NO_PROPERTIES).build());
        }
        messages.add(MqttMessageBuilders.subscribe().messageId(3).addSubscription(MqttQoS.AT_LEAST_ONCE, "fuzz/#")
                .addSubscription(MqttQoS.EXACTLY_ONCE, "$share/g/fuzz/+").build());
        messages.add(MqttMessageBuilders.unsubscribe().messageId(4).addTopicFilter("fuzz/#").build());
        for (MqttMessageType type : new MqttMessageType[] {MqttMessageType.PUBACK, MqttMessageType.PUBREC,
                MqttMessageType.PUBREL, MqttMessageType.PUBCOMP}) {
            messages.add(new MqttMessage(new MqttFixedHeader(type, false,
                    type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE, false, 0),
                    MqttMessageIdVariableHeader.from(7)));
        }
        for (MqttMessageType type : new MqttMessageType[] {MqttMessageType.PINGREQ, MqttMessageType.DISCONNECT}) {
            messages.add(new MqttMessage(new MqttFixedHeader(type, false, MqttQoS.AT_MOST_ONCE, false, 0)));
        }
        List<byte[]> packets = new ArrayList<>();
        EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
        for (MqttMessage m : messages) {
            encoder.writeOutbound(m);
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            for (ByteBuf b; (b = encoder.readOutbound()) != null; ) {
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                b.release();
                packet.writeBytes(bytes);
            }
            packets.add(packet.toByteArray());
        }
        encoder.finishAndReleaseAll();
        return packets;
    }
}
