package io.mqttra.broker;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A socket that speaks MQTT byte by byte, for the cases real client libraries refuse to produce:
 * malformed packets, protocol violations, silence, and for reading exactly what the broker sends.
 */
final class RawMqttClient implements AutoCloseable {

    /** A packet as read from the wire: first byte and body. */
    record Packet(int header, byte[] body) {
        int type() {
            return header >> 4;
        }
    }

    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int SUBACK = 9;
    static final int UNSUBACK = 11;
    static final int PINGRESP = 13;

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    RawMqttClient(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, 5000);
        socket.setSoTimeout(5000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void sendPacket(int header, byte[] body) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(header);
        int len = body.length;
        do {
            int digit = len % 128;
            len /= 128;
            b.write(len > 0 ? digit | 0x80 : digit);
        } while (len > 0);
        b.write(body);
        send(b.toByteArray());
    }

    /** CONNECT for MQTT 3.1.1 (or another level) with the given client id, clean-session flag and keep-alive. */
    void connect(String clientId, boolean cleanSession, int keepAliveSeconds, int level) throws IOException {
        connect("MQTT", level, clientId, cleanSession, keepAliveSeconds);
    }

    /** CONNECT with any protocol name and level, e.g. MQTT 3.1's {@code MQIsdp}/3. */
    void connect(String protocolName, int level, String clientId, boolean cleanSession, int keepAliveSeconds)
            throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        writeString(b, protocolName);
        b.write(level);
        b.write(cleanSession ? 0x02 : 0x00);
        b.write(keepAliveSeconds >> 8);
        b.write(keepAliveSeconds & 0xFF);
        writeString(b, clientId);
        sendPacket(0x10, b.toByteArray());
    }

    void connect(String clientId) throws IOException {
        connect(clientId, true, 0, 4);
    }

    /** CONNECT with a will message. */
    void connectWithWill(String clientId, String willTopic, String willMessage, int willQos) throws IOException {
        connectWithWill(clientId, willTopic, willMessage, willQos, false);
    }

    void connectWithWill(String clientId, String willTopic, String willMessage, int willQos, boolean willRetain)
            throws IOException {
        connectWithWill(clientId, true, willTopic, willMessage, willQos, willRetain);
    }

    void connectWithWill(String clientId, boolean cleanSession, String willTopic, String willMessage, int willQos,
                         boolean willRetain) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        writeString(b, "MQTT");
        b.write(4);
        b.write((cleanSession ? 0x02 : 0) | 0x04 | (willQos << 3) | (willRetain ? 0x20 : 0));
        b.write(0);
        b.write(0);
        writeString(b, clientId);
        writeString(b, willTopic);
        writeString(b, willMessage);
        sendPacket(0x10, b.toByteArray());
    }

    void subscribe(int packetId, String filter, int qos) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(packetId >> 8);
        b.write(packetId & 0xFF);
        writeString(b, filter);
        b.write(qos);
        sendPacket(0x82, b.toByteArray());
    }

    void publish(String topic, String payload, int qos, int packetId) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        writeString(b, topic);
        if (qos > 0) {
            b.write(packetId >> 8);
            b.write(packetId & 0xFF);
        }
        b.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
        sendPacket(0x30 | (qos << 1), b.toByteArray());
    }

    Socket socket() {
        return socket;
    }

    void pingReq() throws IOException {
        send(new byte[] {(byte) 0xC0, 0});
    }

    void disconnect() throws IOException {
        send(new byte[] {(byte) 0xE0, 0});
    }

    Packet read() throws IOException {
        int header = in.readUnsignedByte();
        int len = 0;
        int multiplier = 1;
        int digit;
        do {
            digit = in.readUnsignedByte();
            len += (digit & 0x7F) * multiplier;
            multiplier *= 128;
        } while ((digit & 0x80) != 0);
        byte[] body = new byte[len];
        in.readFully(body);
        return new Packet(header, body);
    }

    /** Reads until the broker closes the connection; returns how long that took, in milliseconds. */
    long awaitClose(long timeoutMillis) throws IOException {
        long start = System.nanoTime();
        socket.setSoTimeout((int) timeoutMillis);
        InputStream raw = socket.getInputStream();
        try {
            while (raw.read() >= 0) {
                // discard whatever the broker still sends
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the broker did not close the connection within " + timeoutMillis + " ms");
        } catch (EOFException | java.net.SocketException e) {
            // closed (reset counts)
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    // ---- MQTT 5 ----

    /** MQTT 5 properties, written in the order added (MQTT 5.0 section 2.2.2). */
    static final class Props {
        private final ByteArrayOutputStream b = new ByteArrayOutputStream();

        Props u8(int id, int v) {
            b.write(id);
            b.write(v);
            return this;
        }

        Props u16(int id, int v) {
            b.write(id);
            b.write(v >> 8);
            b.write(v & 0xFF);
            return this;
        }

        Props u32(int id, long v) {
            b.write(id);
            for (int shift = 24; shift >= 0; shift -= 8) {
                b.write((int) (v >> shift) & 0xFF);
            }
            return this;
        }

        Props varInt(int id, int v) {
            b.write(id);
            writeVarInt(b, v);
            return this;
        }

        Props string(int id, String v) {
            b.write(id);
            writeString(b, v);
            return this;
        }

        byte[] encoded() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            writeVarInt(out, b.size());
            out.writeBytes(b.toByteArray());
            return out.toByteArray();
        }
    }

    static Props props() {
        return new Props();
    }

    /** MQTT 5 CONNECT; {@code will} may be null. */
    void connect5(String clientId, boolean cleanStart, int keepAlive, Props props, String willTopic, Props willProps,
                  String willPayload) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        writeString(b, "MQTT");
        b.write(5);
        b.write((cleanStart ? 0x02 : 0) | (willTopic != null ? 0x04 | 0x08 : 0));
        b.write(keepAlive >> 8);
        b.write(keepAlive & 0xFF);
        b.writeBytes(props.encoded());
        writeString(b, clientId);
        if (willTopic != null) {
            b.writeBytes(willProps.encoded());
            writeString(b, willTopic);
            writeString(b, willPayload);
        }
        sendPacket(0x10, b.toByteArray());
    }

    void connect5(String clientId, boolean cleanStart, Props props) throws IOException {
        connect5(clientId, cleanStart, 0, props, null, null, null);
    }

    /** MQTT 5 SUBSCRIBE with one filter; options as in MQTT 5.0 section 3.8.3.1. */
    void subscribe5(int packetId, Props props, String filter, int options) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(packetId >> 8);
        b.write(packetId & 0xFF);
        b.writeBytes(props.encoded());
        writeString(b, filter);
        b.write(options);
        sendPacket(0x82, b.toByteArray());
    }

    /** MQTT 5 UNSUBSCRIBE with one filter and no properties. */
    void unsubscribe5(int packetId, String filter) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(packetId >> 8);
        b.write(packetId & 0xFF);
        b.write(0);
        writeString(b, filter);
        sendPacket(0xA2, b.toByteArray());
    }

    void publish5(String topic, int qos, int packetId, Props props, String payload) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        writeString(b, topic);
        if (qos > 0) {
            b.write(packetId >> 8);
            b.write(packetId & 0xFF);
        }
        b.writeBytes(props.encoded());
        b.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
        sendPacket(0x30 | (qos << 1), b.toByteArray());
    }

    /** PUBACK (type 4), PUBREC (5), PUBREL (6, flags 0010) or PUBCOMP (7) with a bare packet identifier. */
    void ack(int type, int packetId) throws IOException {
        sendPacket(type << 4 | (type == 6 ? 0x02 : 0), new byte[] {(byte) (packetId >> 8), (byte) packetId});
    }

    /** A PUBLISH as received, with MQTT 5 properties decoded into id -> values. */
    record Publish(int qos, boolean dup, boolean retain, String topic, int packetId,
                   java.util.Map<Integer, java.util.List<Object>> properties, String payload) {
        Object property(int id) {
            java.util.List<Object> values = properties.get(id);
            return values == null ? null : values.get(0);
        }
    }

    Publish readPublish(boolean v5) throws IOException {
        Packet p = read();
        if (p.type() != PUBLISH) {
            throw new AssertionError("expected PUBLISH, got packet type " + p.type());
        }
        return parsePublish(p, v5);
    }

    static Publish parsePublish(Packet p, boolean v5) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(p.body());
        int qos = (p.header() >> 1) & 3;
        String topic = readString(b);
        int packetId = qos > 0 ? b.getShort() & 0xFFFF : 0;
        java.util.Map<Integer, java.util.List<Object>> props = new java.util.LinkedHashMap<>();
        if (v5) {
            int end = readVarInt(b) + b.position();
            while (b.position() < end) {
                int id = b.get() & 0xFF;
                Object value = switch (id) {
                    case 0x01 -> b.get() & 0xFF;
                    case 0x02 -> b.getInt() & 0xFFFFFFFFL;
                    case 0x23 -> b.getShort() & 0xFFFF;
                    case 0x0B -> readVarInt(b);
                    case 0x03, 0x08 -> readString(b);
                    case 0x09 -> {
                        byte[] data = new byte[b.getShort() & 0xFFFF];
                        b.get(data);
                        yield data;
                    }
                    case 0x26 -> readString(b) + "=" + readString(b);
                    default -> throw new AssertionError("unexpected PUBLISH property " + id);
                };
                props.computeIfAbsent(id, k -> new java.util.ArrayList<>()).add(value);
            }
        }
        byte[] payload = new byte[b.remaining()];
        b.get(payload);
        return new Publish(qos, (p.header() & 0x08) != 0, (p.header() & 0x01) != 0, topic, packetId, props,
                new String(payload, StandardCharsets.UTF_8));
    }

    /** The reason code of an MQTT 5 DISCONNECT from the server. */
    int readDisconnectReason() throws IOException {
        Packet p = read();
        if (p.type() != 14) {
            throw new AssertionError("expected DISCONNECT, got packet type " + p.type());
        }
        return p.body().length == 0 ? 0 : p.body()[0] & 0xFF;
    }

    private static String readString(java.nio.ByteBuffer b) {
        byte[] s = new byte[b.getShort() & 0xFFFF];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static int readVarInt(java.nio.ByteBuffer b) {
        int value = 0;
        int multiplier = 1;
        int digit;
        do {
            digit = b.get() & 0xFF;
            value += (digit & 0x7F) * multiplier;
            multiplier *= 128;
        } while ((digit & 0x80) != 0);
        return value;
    }

    static void writeVarInt(ByteArrayOutputStream b, int v) {
        do {
            int digit = v % 128;
            v /= 128;
            b.write(v > 0 ? digit | 0x80 : digit);
        } while (v > 0);
    }

    static void writeString(ByteArrayOutputStream b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.write(bytes.length >> 8);
        b.write(bytes.length & 0xFF);
        b.writeBytes(bytes);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
