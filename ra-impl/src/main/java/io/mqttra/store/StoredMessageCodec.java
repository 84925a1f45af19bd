package io.mqttra.store;

import io.mqttra.broker.MessageStore.StoredMessage;
import io.mqttra.broker.PublishedMessage;
import io.mqttra.broker.PublishedMessage.Mqtt5Properties;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The on-disk form of a stored message and of a queue definition. Versioned by its first byte so that
 * a later release can still read what an earlier one wrote.
 */
public final class StoredMessageCodec {

    /** 3 added the publisher's roles, 2 the message id, each at the end; 1 and 2 are still read. */
    private static final int VERSION = 3;

    private StoredMessageCodec() {
    }

    /** A message alone, as the cluster's nodes send it to each other and keep retained messages in the grid. */
    public static byte[] encodeMessage(PublishedMessage message) {
        return encode(new StoredMessage(0, message, message.qos(), false, 0, null));
    }

    public static PublishedMessage decodeMessage(byte[] data) {
        return decode(data).message();
    }

    static byte[] encode(StoredMessage s) {
        PublishedMessage m = s.message();
        Mqtt5Properties p = m.properties();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + m.payload().length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(s.id());
            out.writeByte(s.qos());
            out.writeBoolean(s.fromRetainedStore());
            out.writeInt(s.deliveryCount());
            writeString(out, m.topic());
            writeBytes(out, m.payload());
            out.writeByte(m.qos());
            out.writeBoolean(m.retain());
            writeString(out, m.publisherClientId());
            writeString(out, m.publisherUserName());
            out.writeLong(m.timestamp());
            out.writeByte(p.payloadFormatUtf8() == null ? -1 : p.payloadFormatUtf8() ? 1 : 0);
            out.writeLong(p.messageExpirySeconds() == null ? -1 : p.messageExpirySeconds());
            writeString(out, p.contentType());
            writeString(out, p.responseTopic());
            writeBytes(out, p.correlationData());
            out.writeInt(p.userProperties().size());
            for (Map.Entry<String, String> e : p.userProperties()) {
                writeString(out, e.getKey());
                writeString(out, e.getValue());
            }
            writeString(out, s.messageId());
            out.writeInt(m.publisherRoles().size());
            for (String role : m.publisherRoles()) {
                writeString(out, role);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static StoredMessage decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int version = in.readByte();
            if (version < 1 || version > VERSION) {
                throw new IllegalStateException("stored message format " + version + " is not known to this release");
            }
            long id = in.readLong();
            int qos = in.readByte();
            boolean fromRetained = in.readBoolean();
            int deliveryCount = in.readInt();
            String topic = readString(in);
            byte[] payload = readBytes(in);
            int publishedQos = in.readByte();
            boolean retain = in.readBoolean();
            String clientId = readString(in);
            String userName = readString(in);
            long timestamp = in.readLong();
            int format = in.readByte();
            long expiry = in.readLong();
            String contentType = readString(in);
            String responseTopic = readString(in);
            byte[] correlation = readBytes(in);
            int n = in.readInt();
            List<Map.Entry<String, String>> user = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                user.add(Map.entry(readString(in), readString(in)));
            }
            Mqtt5Properties props = format == -1 && expiry == -1 && contentType == null && responseTopic == null
                    && correlation == null && user.isEmpty() ? Mqtt5Properties.NONE
                    : new Mqtt5Properties(format == -1 ? null : format == 1, expiry == -1 ? null : expiry, contentType,
                            responseTopic, correlation, user);
            String messageId = version >= 2 ? readString(in) : null;
            Set<String> roles = new HashSet<>();
            for (int i = version >= 3 ? in.readInt() : 0; i > 0; i--) {
                roles.add(readString(in));
            }
            return new StoredMessage(id, new PublishedMessage(topic, payload, publishedQos, retain, clientId, userName,
                    timestamp, props, roles), qos, fromRetained, deliveryCount, messageId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] encodeDefinition(Map<String, String> definition) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(definition.size());
            for (Map.Entry<String, String> e : definition.entrySet()) {
                writeString(out, e.getKey());
                writeString(out, e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Map<String, String> decodeDefinition(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            in.readByte();
            int n = in.readInt();
            Map<String, String> definition = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                definition.put(readString(in), readString(in));
            }
            return definition;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        writeBytes(out, s == null ? null : s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = readBytes(in);
        return b == null ? null : new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b == null ? -1 : b.length);
        if (b != null) {
            out.write(b);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }
}
