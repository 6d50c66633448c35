package org.multiprocessing4j.internal.pool.protocol;

import java.io.StreamCorruptedException;
import java.util.Arrays;
import org.multiprocessing4j.internal.wire.Frames;

/**
 * Reads the big-endian fields of one frame's message straight from the channel's buffer, with bounds checks: the
 * counterpart of the {@link org.multiprocessing4j.internal.codec.ByteSink} a channel writes into. It replaces a sliced {@code ByteBuffer}, whose slice and every field read went
 * through a chain of calls; a frame arrives per task on both sides.
 */
final class FrameReader {
    private final byte[] bytes;
    private final int length;
    private int pos;
    private final int end;

    /**
     * @param bytes the buffer
     * @param offset where the message starts
     * @param length the message's length
     */
    FrameReader(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.pos = offset;
        this.length = length;
        this.end = offset + length;
    }

    private void need(int n) throws StreamCorruptedException {
        if (end - pos < n) {
            throw new StreamCorruptedException("pool message shorter than its fields: length=" + length);
        }
    }

    byte getByte() throws StreamCorruptedException {
        need(1);
        return bytes[pos++];
    }

    int getInt() throws StreamCorruptedException {
        need(4);
        int v = Frames.getInt(bytes, pos);
        pos += 4;
        return v;
    }

    long getLong() throws StreamCorruptedException {
        need(8);
        long v = ((long) Frames.getInt(bytes, pos) << 32) | (Frames.getInt(bytes, pos + 4) & 0xffffffffL);
        pos += 8;
        return v;
    }

    /** @return a byte array field: its length as an int, then its bytes */
    byte[] getBytes() throws StreamCorruptedException {
        int n = getInt();
        if (n < 0 || n > end - pos) {
            throw new StreamCorruptedException("byte field length out of range: length=" + n + " available="
                    + (end - pos));
        }
        byte[] out = Arrays.copyOfRange(bytes, pos, pos + n);
        pos += n;
        return out;
    }

    /** @return the message's length */
    int length() {
        return length;
    }
}
