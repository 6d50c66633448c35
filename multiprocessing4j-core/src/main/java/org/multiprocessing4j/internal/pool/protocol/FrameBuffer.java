package org.multiprocessing4j.internal.pool.protocol;

import java.util.Arrays;
import org.multiprocessing4j.internal.wire.Frames;

/**
 * The buffer that a {@link PoolChannel}'s sends fill until its next flush: big-endian fields written straight into a
 * growable array. It replaces a {@code DataOutputStream} over a {@code ByteArrayOutputStream}, whose every field
 * went through several calls and a synchronized write per byte: a pool sends and a worker answers one message per
 * task, and on a fresh JVM, where that code runs interpreted for its first thousands of tasks, those calls were a
 * good part of a small task's cost. Not thread-safe: the channel's write lock guards it.
 */
public final class FrameBuffer {
    private static final int INITIAL = 8192;
    private static final int SHRINK_ABOVE = 1 << 20;

    private byte[] buf = new byte[INITIAL];
    private int size;

    FrameBuffer() {
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(size + more, 2 * buf.length));
        }
    }

    /** @param b the byte to append */
    public void putByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    /** @param v the big-endian int to append */
    public void putInt(int v) {
        ensure(4);
        putIntAt(size, v);
        size += 4;
    }

    /** @param v the big-endian long to append */
    public void putLong(long v) {
        ensure(8);
        putIntAt(size, (int) (v >>> 32));
        putIntAt(size + 4, (int) v);
        size += 8;
    }

    /** @param bytes the byte array to append, after its length as an int */
    public void putBytes(byte[] bytes) {
        ensure(4 + bytes.length);
        putIntAt(size, bytes.length);
        System.arraycopy(bytes, 0, buf, size + 4, bytes.length);
        size += 4 + bytes.length;
    }

    /** Writes an int over bytes appended before (a frame's length, once its message is written). */
    void putIntAt(int at, int v) {
        Frames.putInt(buf, at, v);
    }

    int size() {
        return size;
    }

    byte[] array() {
        return buf;
    }

    /** Empties the buffer; one that grew past 1 MiB for a big message is dropped for a small one. */
    void reset() {
        size = 0;
        if (buf.length > SHRINK_ABOVE) {
            buf = new byte[INITIAL];
        }
    }
}
