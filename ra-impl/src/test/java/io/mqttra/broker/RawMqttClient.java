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
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        writeString(b, "MQTT");
        b.write(4);
        b.write(0x02 | 0x04 | (willQos << 3));
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
