package io.mqttra.cluster;

import io.mqttra.broker.Delivery;
import io.mqttra.broker.SessionHandover;
import io.mqttra.broker.Subscription;
import io.mqttra.store.StoredMessageCodec;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A {@link SessionHandover} as bytes, inside a {@link NodeItem.Session}; its parts as {@link GridSessions}
 * keeps them in the grid.
 */
final class HandoverCodec {

    private HandoverCodec() {
    }

    static void write(DataOutputStream out, SessionHandover h) throws IOException {
        out.writeBoolean(h != null);
        if (h == null) {
            return;
        }
        out.writeLong(h.expirySeconds());
        writeSubscriptions(out, h.subscriptions());
        out.writeInt(h.messages().size());
        for (SessionHandover.QueuedMessage m : h.messages()) {
            writeMessage(out, m);
        }
    }

    static SessionHandover read(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        long expiry = in.readLong();
        List<Subscription> subscriptions = readSubscriptions(in);
        int n = in.readInt();
        List<SessionHandover.QueuedMessage> messages = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            messages.add(readMessage(in));
        }
        return new SessionHandover(expiry, subscriptions, messages);
    }

    static void writeSubscriptions(DataOutputStream out, Collection<Subscription> subscriptions) throws IOException {
        out.writeInt(subscriptions.size());
        for (Subscription s : subscriptions) {
            out.writeUTF(s.filter());
            out.writeBoolean(s.shareGroup() != null);
            if (s.shareGroup() != null) {
                out.writeUTF(s.shareGroup());
            }
            out.writeByte(s.qos());
            out.writeBoolean(s.noLocal());
            out.writeBoolean(s.retainAsPublished());
            out.writeByte(s.retainHandling());
            out.writeInt(s.subscriptionId());
        }
    }

    static List<Subscription> readSubscriptions(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<Subscription> subscriptions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String filter = in.readUTF();
            String group = in.readBoolean() ? in.readUTF() : null;
            subscriptions.add(Subscription.to(filter).sharedBy(group).qos(in.readByte()).noLocal(in.readBoolean())
                    .retainAsPublished(in.readBoolean()).retainHandling(in.readByte()).subscriptionId(in.readInt()).build());
        }
        return subscriptions;
    }

    static void writeMessage(DataOutputStream out, SessionHandover.QueuedMessage m) throws IOException {
        Delivery d = m.delivery();
        out.writeByte(d.qos());
        out.writeBoolean(d.retain());
        out.writeBoolean(d.fromRetainedStore());
        out.writeShort(d.subscriptionIds().size());
        for (int id : d.subscriptionIds()) {
            out.writeInt(id);
        }
        byte[] message = StoredMessageCodec.encodeMessage(m.message());
        out.writeInt(message.length);
        out.write(message);
        // last, in PACKET_STATE_BYTES, so that a kept entry's state can be rewritten without encoding the message again
        out.writeShort(m.packetId());
        out.writeBoolean(m.released());
    }

    /** The bytes {@link #writeMessage} ends with: the packet identifier and whether it is released. */
    static final int PACKET_STATE_BYTES = 3;

    /** A copy of an entry {@link #writeMessage} wrote, with another packet state. */
    static byte[] withPacketState(byte[] entry, int packetId, boolean released) {
        byte[] copy = entry.clone();
        int at = copy.length - PACKET_STATE_BYTES;
        copy[at] = (byte) (packetId >>> 8);
        copy[at + 1] = (byte) packetId;
        copy[at + 2] = (byte) (released ? 1 : 0);
        return copy;
    }

    static SessionHandover.QueuedMessage readMessage(DataInputStream in) throws IOException {
        int qos = in.readByte();
        boolean retain = in.readBoolean();
        boolean fromRetained = in.readBoolean();
        List<Integer> ids = new ArrayList<>();
        for (int k = in.readShort(); k > 0; k--) {
            ids.add(in.readInt());
        }
        byte[] message = new byte[in.readInt()];
        in.readFully(message);
        int packetId = in.readUnsignedShort();
        boolean released = in.readBoolean();
        return new SessionHandover.QueuedMessage(StoredMessageCodec.decodeMessage(message), new Delivery(qos, retain, fromRetained, ids),
                packetId, released);
    }

    /** The node a grid entry of this package belongs to: each starts with it. */
    static String nodeOf(byte[] entry) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry))) {
            return in.readUTF();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
