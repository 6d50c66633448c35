package org.multiprocessing4j.internal.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array that a message is written into: big-endian fields put straight into the array, values as
 * {@link JdkCodec} encodes them, and an {@code OutputStream} for the writers that want one. It replaces a
 * {@code DataOutputStream} over a {@code ByteArrayOutputStream}, which takes a monitor for every byte of every int
 * it writes and goes through several calls per field: on a JVM that has just started, whose code runs in the
 * interpreter, that cost tens of microseconds for one small message (a process start, a pool task, a manager call).
 * A sink kept by a connection is {@link #reset()} for each message, so a message costs no array of its own. Not
 * thread-safe.
 */
public final class ByteSink extends OutputStream {
    private static final JdkCodec CODEC = JdkCodec.INSTANCE;

    private final int initial;
    private final int keep;
    private byte[] buf;
    private int size;

    /**
     * A sink whose array is never given up.
     *
     * @param capacity the first capacity, in bytes
     */
    public ByteSink(int capacity) {
        this(capacity, Integer.MAX_VALUE);
    }

    /**
     * @param capacity the first capacity, in bytes
     * @param keep an array that grew past this is given up at the next {@link #reset()} (one large message does
     *     not keep its memory)
     */
    public ByteSink(int capacity, int keep) {
        initial = Math.max(16, capacity);
        this.keep = keep;
        buf = new byte[initial];
    }

    /**
     * Starts a new message.
     *
     * @return this
     */
    public ByteSink reset() {
        if (buf.length > keep) {
            buf = new byte[initial];
        }
        size = 0;
        return this;
    }

    private void ensure(int more) {
        if (more > buf.length - size) {
            buf = Arrays.copyOf(buf, Math.max(size + more, 2 * buf.length));
        }
    }

    @Override
    public void write(int b) {
        putByte(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    /** @param v the byte to append @return this */
    public ByteSink putByte(int v) {
        ensure(1);
        buf[size++] = (byte) v;
        return this;
    }

    /** @param v the big-endian 16-bit value to append @return this */
    public ByteSink putShort(int v) {
        ensure(2);
        buf[size] = (byte) (v >>> 8);
        buf[size + 1] = (byte) v;
        size += 2;
        return this;
    }

    /** @param v the big-endian int to append @return this */
    public ByteSink putInt(int v) {
        ensure(4);
        putIntAt(size, v);
        size += 4;
        return this;
    }

    /** @param v the big-endian long to append @return this */
    public ByteSink putLong(long v) {
        ensure(8);
        putIntAt(size, (int) (v >>> 32));
        putIntAt(size + 4, (int) v);
        size += 8;
        return this;
    }

    /**
     * Overwrites four bytes already written.
     *
     * @param at where they start
     * @param v the big-endian int
     */
    public void putIntAt(int at, int v) {
        byte[] b = buf;
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /** @param bytes the bytes to append, after their length as an int @return this */
    public ByteSink putBytes(byte[] bytes) {
        putInt(bytes.length);
        write(bytes, 0, bytes.length);
        return this;
    }

    /** @param s the string to append as UTF-8, after its length in bytes as an int @return this */
    public ByteSink putString(String s) {
        return putBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Appends a value as {@link JdkCodec} encodes it, without a length (it runs to the end of the message); a value
     * with a fast path goes straight into the array.
     *
     * @param v the value
     * @return this
     * @throws IOException if it cannot be encoded ({@link java.io.NotSerializableException} if not serializable)
     */
    public ByteSink putEncoded(Object v) throws IOException {
        int end = CODEC.encodeInto(v, buf, size);
        if (end < 0) {
            byte[] b = CODEC.encode(v);
            write(b, 0, b.length);
        } else {
            size = end;
        }
        return this;
    }

    /**
     * Appends a value as {@link JdkCodec} encodes it, after its length as an int.
     *
     * @param v the value
     * @return this
     * @throws IOException as {@link #putEncoded}
     */
    public ByteSink putValue(Object v) throws IOException {
        int at = size;
        putInt(0);
        putEncoded(v);
        putIntAt(at, size - at - 4);
        return this;
    }

    /**
     * Removes the first bytes (they were written out), moving the rest to the front.
     *
     * @param n how many
     */
    public void dropFirst(int n) {
        if (n < 0 || n > size) {
            throw new IndexOutOfBoundsException("dropFirst(" + n + ") of " + size + " bytes");
        }
        System.arraycopy(buf, n, buf, 0, size - n);
        size -= n;
    }

    /** @return the array the bytes are in (valid up to {@link #size()}; it changes as the sink grows) */
    public byte[] array() {
        return buf;
    }

    /** @return how many bytes were written */
    public int size() {
        return size;
    }

    /** @return a copy of the bytes written */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
