package io.mqttra.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;

/**
 * A {@link BytesMessage}: the MQTT payload as bytes. A received message starts in read mode; a new
 * one in write mode until {@link #reset()}.
 */
public final class MqttJmsBytesMessage extends MqttJmsMessage implements BytesMessage {

    private byte[] body = new byte[0];
    private DataInputStream in;
    private ByteArrayOutputStream buffer;
    private DataOutputStream out;

    public MqttJmsBytesMessage() {
        startWriting();
    }

    /** A message in read mode over {@code payload} (not copied: callers hand over ownership). */
    static MqttJmsBytesMessage readable(byte[] payload) {
        MqttJmsBytesMessage m = new MqttJmsBytesMessage();
        m.body = payload;
        m.startReading();
        return m;
    }

    /** The whole body, whatever the read position; for the adapter's own mapping. */
    byte[] bodyBytes() {
        return buffer != null ? buffer.toByteArray() : body;
    }

    private void startWriting() {
        buffer = new ByteArrayOutputStream();
        out = new DataOutputStream(buffer);
        in = null;
    }

    private void startReading() {
        in = new DataInputStream(new ByteArrayInputStream(body));
        buffer = null;
        out = null;
    }

    @Override
    public void reset() {
        if (buffer != null) {
            body = buffer.toByteArray();
        }
        bodyReadOnly = true;
        startReading();
    }

    @Override
    public void clearBody() throws JMSException {
        super.clearBody();
        body = new byte[0];
        startWriting();
    }

    @Override
    public long getBodyLength() throws JMSException {
        requireReadable();
        return body.length;
    }

    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        byte[] all = bodyBytes();
        if (all.length == 0) {
            return null;
        }
        if (!c.isAssignableFrom(byte[].class)) {
            throw new MessageFormatException("A BytesMessage body cannot be read as " + c.getName());
        }
        return c.cast(Arrays.copyOf(all, all.length));
    }

    @Override
    public boolean isBodyAssignableTo(@SuppressWarnings("rawtypes") Class c) {
        return bodyBytes().length == 0 || c.isAssignableFrom(byte[].class);
    }

    private void requireReadable() throws MessageNotReadableException {
        if (in == null) {
            throw new MessageNotReadableException("The message is in write mode; call reset() to read it");
        }
    }

    private interface Read<T> {
        T from(DataInputStream in) throws IOException;
    }

    private <T> T read(Read<T> read) throws JMSException {
        requireReadable();
        try {
            return read.from(in);
        } catch (EOFException e) {
            throw (MessageEOFException) new MessageEOFException("Unexpected end of the message body").initCause(e);
        } catch (IOException e) {
            throw (JMSException) new MessageFormatException("Cannot read the message body: " + e.getMessage()).initCause(e);
        }
    }

    private interface Write {
        void to(DataOutputStream out) throws IOException;
    }

    private void write(Write write) throws JMSException {
        checkWritable();
        if (out == null) {
            startWriting();
        }
        try {
            write.to(out);
        } catch (IOException e) {
            throw (JMSException) new JMSException("Cannot write the message body: " + e.getMessage()).initCause(e);
        }
    }

    @Override
    public boolean readBoolean() throws JMSException {
        return read(DataInputStream::readBoolean);
    }

    @Override
    public byte readByte() throws JMSException {
        return read(DataInputStream::readByte);
    }

    @Override
    public int readUnsignedByte() throws JMSException {
        return read(DataInputStream::readUnsignedByte);
    }

    @Override
    public short readShort() throws JMSException {
        return read(DataInputStream::readShort);
    }

    @Override
    public int readUnsignedShort() throws JMSException {
        return read(DataInputStream::readUnsignedShort);
    }

    @Override
    public char readChar() throws JMSException {
        return read(DataInputStream::readChar);
    }

    @Override
    public int readInt() throws JMSException {
        return read(DataInputStream::readInt);
    }

    @Override
    public long readLong() throws JMSException {
        return read(DataInputStream::readLong);
    }

    @Override
    public float readFloat() throws JMSException {
        return read(DataInputStream::readFloat);
    }

    @Override
    public double readDouble() throws JMSException {
        return read(DataInputStream::readDouble);
    }

    @Override
    public String readUTF() throws JMSException {
        return read(i -> i.readUTF());
    }

    @Override
    public int readBytes(byte[] value) throws JMSException {
        return readBytes(value, value.length);
    }

    @Override
    public int readBytes(byte[] value, int length) throws JMSException {
        if (length < 0 || length > value.length) {
            throw new IndexOutOfBoundsException("length " + length + " is outside 0.." + value.length);
        }
        requireReadable();
        try {
            int n = in.read(value, 0, length);
            return n; // -1 at the end of the body, as the JMS API specifies
        } catch (IOException e) {
            throw (JMSException) new JMSException(e.getMessage()).initCause(e);
        }
    }

    @Override
    public void writeBoolean(boolean value) throws JMSException {
        write(o -> o.writeBoolean(value));
    }

    @Override
    public void writeByte(byte value) throws JMSException {
        write(o -> o.writeByte(value));
    }

    @Override
    public void writeShort(short value) throws JMSException {
        write(o -> o.writeShort(value));
    }

    @Override
    public void writeChar(char value) throws JMSException {
        write(o -> o.writeChar(value));
    }

    @Override
    public void writeInt(int value) throws JMSException {
        write(o -> o.writeInt(value));
    }

    @Override
    public void writeLong(long value) throws JMSException {
        write(o -> o.writeLong(value));
    }

    @Override
    public void writeFloat(float value) throws JMSException {
        write(o -> o.writeFloat(value));
    }

    @Override
    public void writeDouble(double value) throws JMSException {
        write(o -> o.writeDouble(value));
    }

    @Override
    public void writeUTF(String value) throws JMSException {
        write(o -> o.writeUTF(value));
    }

    @Override
    public void writeBytes(byte[] value) throws JMSException {
        write(o -> o.write(value));
    }

    @Override
    public void writeBytes(byte[] value, int offset, int length) throws JMSException {
        write(o -> o.write(value, offset, length));
    }

    @Override
    public void writeObject(Object value) throws JMSException {
        if (value instanceof Boolean v) {
            writeBoolean(v);
        } else if (value instanceof Byte v) {
            writeByte(v);
        } else if (value instanceof Short v) {
            writeShort(v);
        } else if (value instanceof Character v) {
            writeChar(v);
        } else if (value instanceof Integer v) {
            writeInt(v);
        } else if (value instanceof Long v) {
            writeLong(v);
        } else if (value instanceof Float v) {
            writeFloat(v);
        } else if (value instanceof Double v) {
            writeDouble(v);
        } else if (value instanceof String v) {
            writeUTF(v);
        } else if (value instanceof byte[] v) {
            writeBytes(v);
        } else {
            throw new MessageFormatException("writeObject cannot write "
                    + (value == null ? "null" : value.getClass().getName()));
        }
    }
}
