package org.multiprocessing4j.internal.pipe;

import static org.multiprocessing4j.internal.pipe.PipeLayout.LENGTH_HEADER;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The data area of one {@link ShmRing}: copies in and out at a position that counts bytes ever written, wrapping
 * at the end of the area, and the 8-byte message lengths, which may wrap too. The writer and the reader each use
 * their own view of the segment (a buffer's absolute access is not safe from two threads on one view's state).
 */
final class RingBytes {
    private final int dataBase;
    private final int capacity;
    private final long mask;
    private final ByteBuffer readView;
    private final ByteBuffer writeView;

    /**
     * @param data the segment's data
     * @param dataBase where the ring's data area starts in it
     * @param capacity the area's size, a power of two
     */
    RingBytes(ByteBuffer data, int dataBase, int capacity) {
        this.dataBase = dataBase;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.readView = data.duplicate().order(ByteOrder.BIG_ENDIAN);
        this.writeView = data.duplicate().order(ByteOrder.BIG_ENDIAN);
    }

    /** Writes a message length at {@code pos}. */
    void putLength(long pos, int len) {
        int index = (int) (pos & mask);
        if (index + LENGTH_HEADER <= capacity) {
            writeView.putLong(dataBase + index, len);
        } else {
            byte[] header = new byte[LENGTH_HEADER];
            ByteBuffer.wrap(header).putLong(len);
            copyIn(pos, header, 0, LENGTH_HEADER);
        }
    }

    /** Copies {@code len} bytes of {@code src} in at {@code pos}. */
    void copyIn(long pos, byte[] src, int off, int len) {
        int index = (int) (pos & mask);
        int first = Math.min(len, capacity - index);
        writeView.put(dataBase + index, src, off, first);
        if (first < len) {
            writeView.put(dataBase, src, off + first, len - first);
        }
    }

    /** @return the message length written at {@code pos}, as written (not checked) */
    long length(long pos) {
        int index = (int) (pos & mask);
        if (index + LENGTH_HEADER <= capacity) {
            return readView.getLong(dataBase + index);
        }
        byte[] header = new byte[LENGTH_HEADER];
        copyOut(pos, header, 0, LENGTH_HEADER);
        return ByteBuffer.wrap(header).getLong();
    }

    /** Copies {@code len} bytes out at {@code pos} into {@code dst}. */
    void copyOut(long pos, byte[] dst, int off, int len) {
        int index = (int) (pos & mask);
        int first = Math.min(len, capacity - index);
        readView.get(dataBase + index, dst, off, first);
        if (first < len) {
            readView.get(dataBase, dst, off + first, len - first);
        }
    }
}
