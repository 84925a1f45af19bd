package io.mqttra.broker;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.AttributeKey;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Frames the byte stream into whole packets and checks what Netty's MQTT decoder lets through:
 * reserved flag bits [MQTT-2.2.2-2], QoS 3 and DUP on QoS 0 [MQTT-3.3.1-2], [MQTT-3.3.1-4], the
 * remaining-length encoding, well-formed UTF-8 without U+0000 in topic names, filters, client ids and
 * user names [MQTT-1.5.4-1], [MQTT-1.5.4-2], and the reserved bits of subscription options. A packet
 * over the size limit is refused from its fixed header, before its body is buffered. Whole, checked
 * packets go on to the decoder one at a time.
 */
final class PacketInspector extends ByteToMessageDecoder {

    private static final AttributeKey<Integer> PROTOCOL_LEVEL = AttributeKey.valueOf("mqtt-ra.protocolLevel");
    private static final int CONNECT = 1;
    private static final int PUBLISH = 3;
    private static final int PUBREL = 6;
    private static final int SUBSCRIBE = 8;
    private static final int UNSUBSCRIBE = 10;
    private static final int AUTH = 15;

    private final int maxPacketSize;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private int level;

    PacketInspector(int maxPacketSize) {
        this.maxPacketSize = maxPacketSize;
    }

    /** Whether the client's CONNECT asked for a protocol level above 5. */
    static boolean isNewerThanMqtt5(ChannelHandlerContext ctx) {
        Integer level = ctx.channel().attr(PROTOCOL_LEVEL).get();
        return level != null && level > 5;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int start = in.readerIndex();
            int first = in.getUnsignedByte(start);
            // judged on the first byte, so that non-MQTT traffic is refused without waiting for a body
            checkFixedHeader(first);
            int remaining = 0;
            int multiplier = 1;
            int lengthBytes = 0;
            int digit;
            do {
                if (lengthBytes == 4) {
                    throw new MalformedPacketException("remaining length longer than four bytes [MQTT-2.2.3]");
                }
                if (start + 1 + lengthBytes >= in.writerIndex()) {
                    return; // the rest of the fixed header has not arrived
                }
                digit = in.getUnsignedByte(start + 1 + lengthBytes);
                remaining += (digit & 0x7F) * multiplier;
                multiplier *= 128;
                lengthBytes++;
            } while ((digit & 0x80) != 0);
            int headerLength = 1 + lengthBytes;
            if ((long) headerLength + remaining > maxPacketSize) {
                throw new TooLongFrameException("packet of " + (headerLength + remaining) + " bytes is larger than the limit of "
                        + maxPacketSize);
            }
            if (in.readableBytes() < headerLength + remaining) {
                return;
            }
            check(ctx, first, in, start + headerLength, start + headerLength + remaining);
            out.add(in.readRetainedSlice(headerLength + remaining));
        }
    }

    private void checkFixedHeader(int first) {
        int type = first >> 4;
        int flags = first & 0x0F;
        if (level == 0 && type != CONNECT) {
            throw new MalformedPacketException("the first packet must be CONNECT, not type " + type + " [MQTT-3.1.0-1]");
        }
        switch (type) {
            case 0 -> throw new MalformedPacketException("packet type 0 is reserved");
            case PUBLISH -> {
                int qos = (flags >> 1) & 3;
                if (qos == 3) {
                    throw new MalformedPacketException("PUBLISH with QoS 3 [MQTT-3.3.1-4]");
                }
                if (qos == 0 && (flags & 0x08) != 0) {
                    throw new MalformedPacketException("PUBLISH with QoS 0 and DUP set [MQTT-3.3.1-2]");
                }
            }
            case PUBREL, SUBSCRIBE, UNSUBSCRIBE -> {
                if (flags != 0x02) {
                    throw new MalformedPacketException("reserved flags of packet type " + type + " must be 0010 [MQTT-2.2.2-2]");
                }
            }
            default -> {
                if (flags != 0) {
                    throw new MalformedPacketException("reserved flags of packet type " + type + " must be 0000 [MQTT-2.2.2-2]");
                }
                if (type == AUTH && level != 5) {
                    throw new MalformedPacketException("packet type 15 is reserved before MQTT 5");
                }
            }
        }
    }

    private void check(ChannelHandlerContext ctx, int first, ByteBuf buf, int from, int to) {
        int type = first >> 4;
        switch (type) {
            case PUBLISH -> new Cursor(buf, from, to).string("topic name");
            case SUBSCRIBE, UNSUBSCRIBE -> checkSubscriptionList(buf, from, to, type == SUBSCRIBE);
            case CONNECT -> checkConnect(ctx, buf, from, to);
            default -> {
                // nothing in the body to check before the decoder reads it
            }
        }
    }

    private void checkConnect(ChannelHandlerContext ctx, ByteBuf buf, int from, int to) {
        Cursor c = new Cursor(buf, from, to);
        String name = c.string("protocol name");
        level = c.u8();
        ctx.channel().attr(PROTOCOL_LEVEL).set(level);
        boolean known = ("MQTT".equals(name) && (level == 4 || level == 5)) || ("MQIsdp".equals(name) && level == 3);
        if (!known) {
            return; // the decoder refuses it with the right CONNACK
        }
        int connectFlags = c.u8();
        c.skip(2); // keep-alive
        if (level == 5) {
            c.skip(c.varInt());
        }
        c.string("client identifier");
        if ((connectFlags & 0x04) != 0) {
            if (level == 5) {
                c.skip(c.varInt());
            }
            c.string("will topic");
            c.skip(c.u16());
        }
        if ((connectFlags & 0x80) != 0) {
            c.string("user name");
        }
    }

    private void checkSubscriptionList(ByteBuf buf, int from, int to, boolean withOptions) {
        Cursor c = new Cursor(buf, from, to);
        c.skip(2); // packet identifier
        if (level == 5) {
            c.skip(c.varInt());
        }
        while (c.hasMore()) {
            c.string("topic filter");
            if (withOptions) {
                int options = c.u8();
                int reserved = level == 5 ? options & 0xC0 : options & 0xFC;
                if (reserved != 0) {
                    throw new MalformedPacketException("reserved bits of subscription options set [MQTT-3.8.3-5]");
                }
                if (level == 5 && ((options >> 4) & 3) == 3) {
                    throw new MalformedPacketException("Retain Handling 3 is reserved (MQTT 5.0 section 3.8.3.1)");
                }
            }
        }
    }

    /** Reads within one packet; running past its end is a malformed packet, not an exception elsewhere. */
    private final class Cursor {
        private final ByteBuf buf;
        private final int to;
        private int pos;

        Cursor(ByteBuf buf, int from, int to) {
            this.buf = buf;
            this.pos = from;
            this.to = to;
        }

        boolean hasMore() {
            return pos < to;
        }

        private void need(int n, String what) {
            if (pos + n > to) {
                throw new MalformedPacketException("packet ends inside its " + what);
            }
        }

        int u8() {
            need(1, "header");
            return buf.getUnsignedByte(pos++);
        }

        int u16() {
            need(2, "header");
            int v = buf.getUnsignedShort(pos);
            pos += 2;
            return v;
        }

        void skip(int n) {
            need(n, "fields");
            pos += n;
        }

        int varInt() {
            int value = 0;
            int multiplier = 1;
            for (int i = 0; i < 4; i++) {
                int digit = u8();
                value += (digit & 0x7F) * multiplier;
                if ((digit & 0x80) == 0) {
                    return value;
                }
                multiplier *= 128;
            }
            throw new MalformedPacketException("variable byte integer longer than four bytes");
        }

        String string(String what) {
            int length = u16();
            need(length, what);
            String value;
            try {
                value = utf8.reset().decode(buf.nioBuffer(pos, length)).toString();
            } catch (CharacterCodingException e) {
                throw new MalformedPacketException(what + " is not well-formed UTF-8 [MQTT-1.5.4-1]");
            }
            if (value.indexOf('\u0000') >= 0) {
                throw new MalformedPacketException(what + " contains U+0000 [MQTT-1.5.4-2]");
            }
            pos += length;
            return value;
        }
    }
}
