package org.multiprocessing4j.shared;

import java.io.Serializable;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.memory.Segments;
import org.multiprocessing4j.sync.ProcessReentrantLock;

/**
 * The shared memory behind a shared value or array ({@link SharedInt} ... {@link SharedDoubleArray}): its segment's
 * name, the lock for compound updates, the size rule for arrays, and the attach when a copy is deserialized in
 * another process. The owner keeps a transient reference to the {@link Segment}, so its atomic operations read one
 * field, and it names the kind and size it expects when it attaches (they never come from the stream).
 */
final class SharedBlock implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The most data bytes one segment holds. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 16384L;

    private final String segmentName;
    private final ProcessReentrantLock lock;
    private transient Segment segment;

    private SharedBlock(Segment segment) {
        this.segment = segment;
        this.segmentName = segment.name();
        this.lock = new ProcessReentrantLock();
    }

    /**
     * Makes a block in a new segment.
     *
     * @param kind the layout tag of the owner
     * @param bytes the data size
     * @return the block
     */
    static SharedBlock create(int kind, long bytes) {
        return new SharedBlock(Segments.createShared(bytes, kind));
    }

    /**
     * The data size of an array: {@code length} elements of {@code width} bytes, at least 8.
     *
     * @throws IllegalArgumentException if the length is negative or too long for one segment
     */
    static long arrayBytes(int length, int width) {
        if (length < 0 || (long) length * width > MAX_BYTES) {
            throw new IllegalArgumentException("shared array length must be 0.." + MAX_BYTES / width + ": length="
                    + length);
        }
        return Math.max(8, (long) length * width);
    }

    /** @return the segment of the process that made this block (null in a copy before {@link #attach}) */
    Segment segment() {
        return segment;
    }

    /**
     * Maps the segment in this process (for a deserialized copy), checking that it holds what the owner expects.
     *
     * @return the segment
     */
    Segment attach(int kind, long bytes) {
        segment = Segments.attachShared(segmentName, kind, bytes);
        return segment;
    }

    ProcessReentrantLock lock() {
        return lock;
    }
}
