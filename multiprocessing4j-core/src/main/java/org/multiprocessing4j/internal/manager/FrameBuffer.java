package org.multiprocessing4j.internal.manager;

import java.io.IOException;
import java.util.Arrays;
import org.multiprocessing4j.internal.codec.JdkCodec;

/**
 * A growable big-endian byte array that a frame ({@link RequestCodec}) is written into, kept by a connection and
 * reused for each of its frames, so that a call costs no buffer of its own. Not thread-safe: one connection, one
 * thread at a time.
 */
final class FrameBuffer {
    private static final JdkCodec CODEC = JdkCodec.INSTANCE;
    /** A buffer that grew past this is given up after its frame, so that one large value does not stay. */
    private static final int KEEP = 64 * 1024;

    private byte[] bytes;
    private int size;

    FrameBuffer(int capacity) {
        bytes = new byte[capacity];
    }

    /** Starts a new frame. @return this */
    FrameBuffer reset() {
        if (bytes.length > KEEP) {
            bytes = new byte[256];
        }
        size = 0;
        return this;
    }

    /** @return the array (valid up to {@link #size()}) */
    byte[] array() {
        return bytes;
    }

    /** @return the frame's length so far */
    int size() {
        return size;
    }

    /** @return a copy of the frame */
    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensure(int n) {
        if (bytes.length - size < n) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
        }
    }

    FrameBuffer u8(int v) {
        ensure(1);
        bytes[size++] = (byte) v;
        return this;
    }

    FrameBuffer u16(int v) {
        ensure(2);
        bytes[size] = (byte) (v >>> 8);
        bytes[size + 1] = (byte) v;
        size += 2;
        return this;
    }

    FrameBuffer i32(int v) {
        ensure(4);
        byte[] b = bytes;
        int at = size;
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
        size = at + 4;
        return this;
    }

    FrameBuffer i64(long v) {
        ensure(8);
        for (int i = 7; i >= 0; i--) {
            bytes[size + i] = (byte) v;
            v >>>= 8;
        }
        size += 8;
        return this;
    }

    FrameBuffer str(String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        i32(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
        return this;
    }

    /**
     * Appends a value as {@link JdkCodec} encodes it, without a length (it runs to the end of the frame).
     *
     * @param v the value
     * @return this
     * @throws IOException if it cannot be encoded ({@link java.io.NotSerializableException} if not serializable)
     */
    FrameBuffer rest(Object v) throws IOException {
        int end = CODEC.encodeInto(v, bytes, size);
        if (end < 0) {
            byte[] b = CODEC.encode(v);
            ensure(b.length);
            System.arraycopy(b, 0, bytes, size, b.length);
            end = size + b.length;
        }
        size = end;
        return this;
    }

    /**
     * Appends a value with its length before it: i32 length, then the value as {@link JdkCodec} encodes it.
     *
     * @param v the value
     * @return this
     * @throws IOException as {@link #rest}
     */
    FrameBuffer value(Object v) throws IOException {
        ensure(4);
        int at = size;
        size += 4;
        rest(v);
        int n = size - at - 4;
        bytes[at] = (byte) (n >>> 24);
        bytes[at + 1] = (byte) (n >>> 16);
        bytes[at + 2] = (byte) (n >>> 8);
        bytes[at + 3] = (byte) n;
        return this;
    }
}
