package org.multiprocessing4j.internal.memory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Plain reads and writes by offset of a segment's data (a queue's ring, a spill or side segment), in native byte
 * order: through {@code Unsafe} at the data's address where {@link RawMemory#ON} (JDK 17-21), else through the
 * buffer. Every access is checked against the bounds first, as the buffer would check it.
 *
 * <p>The view holds the buffer, so the mapping stays while the view is reachable (a segment whose data was handed
 * out is unmapped by the garbage collector only, {@link Segment#data()}): an address is never used after its
 * memory is gone. In the interpreter, where a fresh JVM runs its first thousands of items, a buffer's
 * {@code getInt} costs ~700 ns (a chain of scoped-access frames) and {@code Unsafe}'s ~65 ns ({@link RawMemory}).
 */
public final class MappedBytes {
    private static final sun.misc.Unsafe U = RawMemory.UNSAFE;
    private static final long ARRAY_BASE = RawMemory.ON ? U.arrayBaseOffset(byte[].class) : 0;
    /**
     * Longer copies go through the buffer, which copies in slices of this size with a safepoint check between them
     * (one Unsafe copy of a 256 MiB item would hold up every other thread's garbage collection for its duration).
     */
    private static final int RAW_COPY_MAX = 1 << 20;

    private final ByteBuffer buffer;
    private final long address;
    private final int capacity;

    /**
     * @param buffer a direct buffer over shared memory, position 0 (its order does not matter: the view reads and
     *     writes in native order)
     */
    public MappedBytes(ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer: " + buffer);
        }
        this.buffer = buffer.duplicate().order(ByteOrder.nativeOrder());
        this.address = RawMemory.ON ? RawMemory.address(buffer) : 0;
        this.capacity = buffer.capacity();
    }

    /** @return the view's size in bytes */
    public int capacity() {
        return capacity;
    }

    /** @return the byte at {@code at} */
    public byte get(int at) {
        if (RawMemory.ON) {
            return U.getByte(address(at, 1));
        }
        return buffer.get(at);
    }

    /** Writes a byte at {@code at}. */
    public void put(int at, byte value) {
        if (RawMemory.ON) {
            U.putByte(address(at, 1), value);
            return;
        }
        buffer.put(at, value);
    }

    /** @return the int at {@code at} (any alignment) */
    public int getInt(int at) {
        if (RawMemory.ON) {
            return U.getInt(address(at, 4));
        }
        return buffer.getInt(at);
    }

    /** Writes an int at {@code at} (any alignment). */
    public void putInt(int at, int value) {
        if (RawMemory.ON) {
            U.putInt(address(at, 4), value);
            return;
        }
        buffer.putInt(at, value);
    }

    /** @return the long at {@code at} (any alignment) */
    public long getLong(int at) {
        if (RawMemory.ON) {
            return U.getLong(address(at, 8));
        }
        return buffer.getLong(at);
    }

    /** Writes a long at {@code at} (any alignment). */
    public void putLong(int at, long value) {
        if (RawMemory.ON) {
            U.putLong(address(at, 8), value);
            return;
        }
        buffer.putLong(at, value);
    }

    /** Copies {@code length} bytes from {@code at} into {@code dst} from {@code offset}. */
    public void get(int at, byte[] dst, int offset, int length) {
        if (RawMemory.ON && length <= RAW_COPY_MAX) {
            Objects.checkFromIndexSize(offset, length, dst.length);
            U.copyMemory(null, address(at, length), dst, ARRAY_BASE + offset, length);
            return;
        }
        buffer.get(at, dst, offset, length);
    }

    /** Copies {@code length} bytes of {@code src} from {@code offset} to {@code at}. */
    public void put(int at, byte[] src, int offset, int length) {
        if (RawMemory.ON && length <= RAW_COPY_MAX) {
            Objects.checkFromIndexSize(offset, length, src.length);
            U.copyMemory(src, ARRAY_BASE + offset, null, address(at, length), length);
            return;
        }
        buffer.put(at, src, offset, length);
    }

    private long address(int at, int length) {
        if (at < 0 || length < 0 || at > capacity - length) {
            throw outside(at, length);
        }
        return address + at;
    }

    /** Apart from {@link #address}, so that it stays small enough for C1 to inline (see Segment's {@code at}). */
    private IndexOutOfBoundsException outside(int at, int length) {
        return new IndexOutOfBoundsException("bytes " + at + ".." + ((long) at + length) + " outside a view of "
                + capacity + " bytes");
    }
}
