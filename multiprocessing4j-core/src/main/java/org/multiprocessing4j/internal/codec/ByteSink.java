package org.multiprocessing4j.internal.codec;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte array to write into, like {@code ByteArrayOutputStream} without its lock: a
 * {@code DataOutputStream} over a {@code ByteArrayOutputStream} takes a monitor for every byte of every int it writes,
 * which costs a JVM that has just started, whose code still runs in the interpreter, tens of microseconds for one
 * small message (timed on the path of a process start). Not thread-safe.
 */
public final class ByteSink extends OutputStream {
    private byte[] buf;
    private int size;

    /**
     * @param capacity the first capacity, in bytes
     */
    public ByteSink(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    @Override
    public void write(int b) {
        if (size == buf.length) {
            buf = Arrays.copyOf(buf, 2 * buf.length);
        }
        buf[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (len > buf.length - size) {
            buf = Arrays.copyOf(buf, Math.max(size + len, 2 * buf.length));
        }
        System.arraycopy(b, off, buf, size, len);
        size += len;
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
