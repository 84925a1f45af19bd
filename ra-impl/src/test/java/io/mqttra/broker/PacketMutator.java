package io.mqttra.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutations of valid packets of every type, at every protocol level: the inputs of the fuzz
 * tests ({@link PacketFuzzTest} over TCP, {@link PipelineFuzzTest} in process). One input is what one
 * client connection sends; {@link #input(long)} makes the same bytes from the same seed every time, so
 * a failing input is reproduced from the seed printed with it.
 */
final class PacketMutator {

    private final List<byte[]> corpus = validPackets();

    /** The input of one connection, from its seed. */
    byte[] input(long seed) {
        return mutatedInput(new Random(seed));
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
            case 2 -> p = Arrays.copyOf(p, r.nextInt(p.length)); // truncate
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
        // the templates' payloads are not the broker's buffers: unpooled, outside the leak detector that watches the broker
        for (MqttQoS qos : new MqttQoS[] {MqttQoS.AT_MOST_ONCE, MqttQoS.AT_LEAST_ONCE, MqttQoS.EXACTLY_ONCE}) {
            messages.add(MqttMessageBuilders.publish().topicName("fuzz/a/b").qos(qos).retained(qos == MqttQoS.AT_LEAST_ONCE)
                    .messageId(7).payload(Unpooled.wrappedBuffer("payload".getBytes(StandardCharsets.UTF_8)))
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
