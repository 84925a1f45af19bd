package io.mqttra.cluster;

import io.mqttra.broker.PublishedMessage;
import io.mqttra.broker.SessionHandover;
import io.mqttra.broker.Subscription;
import io.mqttra.store.StoredMessageCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What one node puts in another's inbox, as bytes: the grid stores {@code byte[]} natively, so no class
 * of ours has to be known to Hazelcast (an external cluster does not have them). Each starts with its
 * kind and its sender.
 */
sealed interface NodeItem {

    byte FORWARD = 1;
    byte ROUTE = 2;
    byte ROUTE_ACK = 3;
    byte ROUTES = 4;
    byte TAKEOVER = 5;
    byte SESSION = 6;
    byte STORED = 7;
    byte RESEND = 8;
    byte ADOPTED = 9;
    /** Not an item: several, as {@link InboxWriter} puts them into one ringbuffer slot. */
    byte BATCH = 10;
    byte MOVED = 11;

    String sender();

    /**
     * A message published at the sender: see {@link io.mqttra.broker.RemoteNode#forward}. A non-zero
     * {@code storeId} asks for a {@link Stored} once the receiver's persistent subscribers hold it.
     */
    record Forward(String sender, boolean ordinary, List<Subscription> shared, PublishedMessage message, long storeId)
            implements NodeItem {
    }

    /**
     * The forwarded messages with these store ids are held by the sender's persistent subscribers (the
     * grid's copies of persistent sessions, durable queues) or it had none for them; negative ids could not
     * be stored.
     */
    record Stored(String sender, long[] storeIds) implements NodeItem {
    }

    /**
     * A message that was on its way to {@code goneNode} when it died, for the sessions the receiver took over
     * from it, and for one member here of each group in {@code shared}; answered by a {@link Stored}.
     */
    record Resend(String sender, String goneNode, List<Subscription> shared, PublishedMessage message, long storeId)
            implements NodeItem {
    }

    /**
     * A message for the session of {@code clientId}, which moved from the sender to the receiver: it reached
     * the session at the sender after it had gone; answered by a {@link Stored}.
     */
    record Moved(String sender, String clientId, PublishedMessage message, long storeId) implements NodeItem {
    }

    /**
     * The sender took {@code sessions} persistent sessions of {@code goneNode} over, and announced their
     * routes before this: messages held for the dead node can go there now.
     */
    record Adopted(String sender, String goneNode, int sessions) implements NodeItem {
    }

    /**
     * The sender has ({@code present}) or no longer has subscribers for a filter and share group; versions
     * order the changes of one route, whichever way they arrive. A non-zero {@code ackId} asks for a
     * {@link RouteAck}.
     */
    record Route(String sender, String filter, String shareGroup, boolean present, long version, long ackId)
            implements NodeItem {
    }

    record RouteAck(String sender, long ackId) implements NodeItem {
    }

    /** Every route the sender has, for a node that has just seen it. */
    record Routes(String sender, List<Route> routes) implements NodeItem {
    }

    /**
     * The sender accepted a connection for {@code clientId}: the connection {@code connectionId} here ends.
     * A non-zero {@code requestId} asks for the session, answered by a {@link Session} with that id.
     */
    record Takeover(String sender, String clientId, String connectionId, long requestId) implements NodeItem {
    }

    /** The session a {@link Takeover} asked for; {@code handover} null when there was none. */
    record Session(String sender, long requestId, SessionHandover handover) implements NodeItem {
    }

    static byte[] encode(NodeItem item) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (item instanceof Forward f) {
                header(out, FORWARD, f.sender());
                out.writeBoolean(f.ordinary());
                writeMessage(out, f.shared(), f.message(), f.storeId());
            } else if (item instanceof Resend r) {
                header(out, RESEND, r.sender());
                out.writeUTF(r.goneNode());
                writeMessage(out, r.shared(), r.message(), r.storeId());
            } else if (item instanceof Moved m) {
                header(out, MOVED, m.sender());
                out.writeUTF(m.clientId());
                writeMessage(out, List.of(), m.message(), m.storeId());
            } else if (item instanceof Adopted a) {
                header(out, ADOPTED, a.sender());
                out.writeUTF(a.goneNode());
                out.writeInt(a.sessions());
            } else if (item instanceof Stored st) {
                header(out, STORED, st.sender());
                out.writeInt(st.storeIds().length);
                for (long id : st.storeIds()) {
                    out.writeLong(id);
                }
            } else if (item instanceof Route r) {
                header(out, ROUTE, r.sender());
                writeRoute(out, r);
            } else if (item instanceof RouteAck a) {
                header(out, ROUTE_ACK, a.sender());
                out.writeLong(a.ackId());
            } else if (item instanceof Routes rs) {
                header(out, ROUTES, rs.sender());
                out.writeInt(rs.routes().size());
                for (Route r : rs.routes()) {
                    writeRoute(out, r);
                }
            } else if (item instanceof Takeover t) {
                header(out, TAKEOVER, t.sender());
                out.writeUTF(t.clientId());
                out.writeUTF(t.connectionId());
                out.writeLong(t.requestId());
            } else if (item instanceof Session session) {
                header(out, SESSION, session.sender());
                out.writeLong(session.requestId());
                HandoverCodec.write(out, session.handover());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Several encoded items as one, for {@link #decodeAll}. */
    static byte[] batch(List<byte[]> items) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(items.stream().mapToInt(i -> i.length + 4).sum() + 5);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(BATCH);
            out.writeInt(items.size());
            for (byte[] item : items) {
                out.writeInt(item.length);
                out.write(item);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The items in one ringbuffer slot, in the order sent: one, or a {@link #batch}. */
    static List<NodeItem> decodeAll(byte[] data) {
        if (data.length == 0 || data[0] != BATCH) {
            return List.of(decode(data));
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            in.readByte();
            int n = in.readInt();
            List<NodeItem> items = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] item = new byte[in.readInt()];
                in.readFully(item);
                items.add(decode(item));
            }
            return items;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static NodeItem decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte kind = in.readByte();
            String sender = in.readUTF();
            return switch (kind) {
                case FORWARD -> {
                    boolean ordinary = in.readBoolean();
                    List<Subscription> shared = readShared(in);
                    yield new Forward(sender, ordinary, shared, readMessage(in), in.readLong());
                }
                case RESEND -> {
                    String goneNode = in.readUTF();
                    List<Subscription> shared = readShared(in);
                    yield new Resend(sender, goneNode, shared, readMessage(in), in.readLong());
                }
                case MOVED -> {
                    String clientId = in.readUTF();
                    readShared(in);
                    yield new Moved(sender, clientId, readMessage(in), in.readLong());
                }
                case ADOPTED -> new Adopted(sender, in.readUTF(), in.readInt());
                case STORED -> {
                    long[] ids = new long[in.readInt()];
                    for (int i = 0; i < ids.length; i++) {
                        ids[i] = in.readLong();
                    }
                    yield new Stored(sender, ids);
                }
                case ROUTE -> readRoute(in, sender);
                case ROUTE_ACK -> new RouteAck(sender, in.readLong());
                case ROUTES -> {
                    int n = in.readInt();
                    List<Route> routes = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        routes.add(readRoute(in, sender));
                    }
                    yield new Routes(sender, routes);
                }
                case TAKEOVER -> new Takeover(sender, in.readUTF(), in.readUTF(), in.readLong());
                case SESSION -> new Session(sender, in.readLong(), HandoverCodec.read(in));
                default -> throw new IllegalArgumentException("unknown node item kind " + kind
                        + " (a node of another MQTT-RA version in the cluster?)");
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void header(DataOutputStream out, byte kind, String sender) throws IOException {
        out.writeByte(kind);
        out.writeUTF(sender);
    }

    private static void writeMessage(DataOutputStream out, List<Subscription> shared, PublishedMessage message, long storeId)
            throws IOException {
        out.writeShort(shared.size());
        for (Subscription s : shared) {
            out.writeUTF(s.filter());
            out.writeUTF(s.shareGroup());
        }
        byte[] bytes = StoredMessageCodec.encodeMessage(message);
        out.writeInt(bytes.length);
        out.write(bytes);
        out.writeLong(storeId);
    }

    private static List<Subscription> readShared(DataInputStream in) throws IOException {
        int n = in.readShort();
        List<Subscription> shared = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            shared.add(Subscription.to(in.readUTF()).sharedBy(in.readUTF()).build());
        }
        return shared;
    }

    private static PublishedMessage readMessage(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return StoredMessageCodec.decodeMessage(bytes);
    }

    private static void writeRoute(DataOutputStream out, Route r) throws IOException {
        out.writeUTF(r.filter());
        out.writeBoolean(r.shareGroup() != null);
        if (r.shareGroup() != null) {
            out.writeUTF(r.shareGroup());
        }
        out.writeBoolean(r.present());
        out.writeLong(r.version());
        out.writeLong(r.ackId());
    }

    private static Route readRoute(DataInputStream in, String sender) throws IOException {
        String filter = in.readUTF();
        String group = in.readBoolean() ? in.readUTF() : null;
        return new Route(sender, filter, group, in.readBoolean(), in.readLong(), in.readLong());
    }
}
