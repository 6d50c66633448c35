package org.multiprocessing4j.internal.memory;

import static org.multiprocessing4j.internal.memory.SegmentHeader.INT;
import static org.multiprocessing4j.internal.memory.SegmentHeader.LENGTH;
import static org.multiprocessing4j.internal.memory.SegmentHeader.LONG;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A named block of memory shared between processes: a file mapped into every process that uses it, with a header
 * page ({@link SegmentHeader}) and then the data. Offsets given to the accessors are relative to the data and must
 * be aligned to the size of the value (4 or 8); the atomic accessors are those of {@code Unsafe} at the mapping's
 * address on JDK 17-21 ({@link RawMemory}: ~13x cheaper in the interpreter, where a fresh JVM runs its first
 * operations), else of a {@link java.lang.invoke.VarHandle} on a {@code ByteBuffer} view; both are atomic across
 * processes on the same mapping, and both refuse an offset outside the mapping, a misaligned one, and any once
 * closed (the raw path also one outside the data).
 *
 * <h2>Lifecycle</h2>
 * <pre>
 * state   | reached by                 | accessors                  | file
 * OPEN    | create / attach            | work                       | exists (unless unlinked)
 * CLOSED  | close() (idempotent)       | IllegalStateException      | deleted if this was the last user and the
 *         |                            |                            | creator is gone
 * </pre>
 * {@link #unlink()} deletes the name at once (a later attach fails); the memory stays valid in every process that has
 * it mapped. {@link #close()} unmaps at once ({@link FileMapping}: on JDK 22+ by closing the FFM arena it was mapped
 * in, on JDK 17-21 through {@code Unsafe.invokeCleaner}) unless {@link #data()} handed out a buffer, which would then
 * point at unmapped memory (a JVM crash on JDK 17-21, an {@code IllegalStateException} in the user's code on JDK 22+):
 * such a mapping is left to the garbage collector, which unmaps it once no buffer refers to it, as is, on JDK 22+, a
 * primitive's segment ({@link #createForLife}: mapped without an arena, never closed by the library). Accessors read
 * the mapping through a volatile field that close() swaps for an empty buffer (the raw path: an address that close()
 * sets to 0 first), so a use after close throws ({@code
 * IndexOutOfBoundsException} from the accessors, {@code IllegalStateException} from the rest) instead of touching
 * unmapped memory. A close that races with an access in another thread of the same process is the caller's error, as
 * for any closed resource; the primitives of the library never close their segments (they stay mapped until the
 * process ends).
 */
public final class Segment implements AutoCloseable {
    private static final ByteBuffer CLOSED = ByteBuffer.allocateDirect(0);
    private static final sun.misc.Unsafe U = RawMemory.UNSAFE;

    private final String name;
    private final Path file;
    private final long size;
    private final int kind;
    private final FileMapping region;
    private final int userIndex;
    private volatile ByteBuffer buffer;
    /** The data's address when {@link RawMemory#ON}, 0 once closed (and always when off). */
    private volatile long base;
    private volatile boolean exported;

    /** A segment just mapped and registered ({@link SegmentOpening}); the caller reports it to {@link Segments}. */
    Segment(String name, Path file, FileMapping region, int userIndex) {
        this.name = name;
        this.file = file;
        this.region = region;
        this.size = SegmentHeader.dataSize(region.buffer());
        this.kind = SegmentHeader.kind(region.buffer());
        this.userIndex = userIndex;
        this.buffer = region.buffer();
        this.base = RawMemory.ON ? RawMemory.address(region.buffer()) + LENGTH : 0;
    }

    /**
     * Creates a segment under a fresh unguessable name.
     *
     * @param size the data size in bytes, at least 1
     * @param kind what the data holds (0 = raw bytes)
     * @return the segment, owned by this process
     */
    public static Segment create(long size, int kind) {
        return create(size, kind, false);
    }

    /**
     * As {@link #create(long, int)}, for a segment that stays mapped until the process ends (a primitive's, see
     * {@link Segments#createShared}): mapped by {@code FileChannel.map} on every JVM, so that its accessors skip the
     * liveness check of a buffer over an FFM arena (about 10% of an uncontended lock or value operation on JDK 25);
     * a close() of it on JDK 22+ leaves the unmapping to the garbage collector.
     */
    static Segment createForLife(long size, int kind) {
        return create(size, kind, true);
    }

    private static Segment create(long size, int kind, boolean forLife) {
        while (true) {
            try {
                return SegmentOpening.create(SegmentFiles.newName(), size, kind, forLife);
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof FileAlreadyExistsException)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Creates a segment under the given name.
     *
     * @param name letters, digits, '_', '.', '-'
     * @param size the data size in bytes, at least 1
     * @param kind what the data holds (0 = raw bytes)
     * @return the segment, owned by this process
     * @throws IllegalArgumentException on a bad name or size
     * @throws IllegalStateException if the name exists (the cause is a {@link FileAlreadyExistsException}) or the
     *     file cannot be made
     */
    public static Segment create(String name, long size, int kind) {
        return SegmentOpening.create(name, size, kind, false);
    }

    /**
     * Maps an existing segment and registers this process as one of its users.
     *
     * @param name the segment's name
     * @return the segment
     * @throws IllegalArgumentException if no segment has that name (never made, unlinked, or reclaimed after its
     *     users ended), or the file is not a segment
     */
    public static Segment attach(String name) {
        return SegmentOpening.attach(name, false);
    }

    /** As {@link #attach(String)}, for a segment that stays mapped until the process ends (see createForLife). */
    static Segment attachForLife(String name) {
        return SegmentOpening.attach(name, true);
    }

    /** @return the name (without the file prefix) */
    public String name() {
        return name;
    }

    /** @return the data size in bytes */
    public long size() {
        return size;
    }

    /** @return what the data holds, as given to create */
    public int kind() {
        return kind;
    }

    /** @return whether this process created the segment */
    public boolean isCreator() {
        return SegmentHeader.isCreator(open());
    }

    /**
     * Makes another live process this segment's creator, so that the segment outlives this one: it is then
     * reclaimed once that process has ended and no process uses it. A queue's producer hands the segment of a
     * large item over to the queue's creating process, so the item survives the producer's exit until taken.
     *
     * @param pid the new creator's pid
     * @param start its start time in milliseconds ({@code ProcessIdentity.startMillis}), or 0 for unknown
     * @throws IllegalStateException if closed
     */
    public void handOver(long pid, long start) {
        SegmentHeader.setCreator(open(), pid, start);
    }

    /** @return whether close() was called */
    public boolean isClosed() {
        return buffer == CLOSED;
    }

    /**
     * A buffer over the data, position 0, capacity {@link #size()}. Once one was handed out, close() leaves the
     * unmapping to the garbage collector.
     *
     * @return a new buffer over the data
     * @throws IllegalStateException if closed
     */
    public ByteBuffer data() {
        ByteBuffer b = open();
        exported = true;
        return b.slice(LENGTH, (int) size).order(java.nio.ByteOrder.nativeOrder());
    }

    /**
     * Deletes the name now: a later attach fails. The memory stays valid wherever it is mapped. Idempotent.
     */
    public synchronized void unlink() {
        if (buffer != CLOSED) {
            SegmentHeader.casState(region.buffer(), SegmentHeader.state(region.buffer()), SegmentHeader.STATE_UNLINKED);
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unlink shared memory block: name=" + name + " file=" + file, e);
        }
    }

    /**
     * This process lets go: clears its user entry, unmaps (see the class comment), and deletes the file if the
     * creator is gone and no other process uses it. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (buffer == CLOSED) {
            return;
        }
        base = 0;
        buffer = CLOSED;
        boolean created = SegmentHeader.isCreator(region.buffer());
        Segments.closed(this);
        if (!letGo(false) && created) {
            Segments.createdAndClosed(file);
        }
        if (exported) {
            region.unmapWhenUnreachable();
        } else {
            region.unmap();
        }
    }

    /** At exit: lets go unless closed already; the mapping stays, as other hooks may still use it. */
    synchronized void letGoAtExit() {
        if (buffer != CLOSED) {
            letGo(true);
        }
    }

    /**
     * Clears this process's entry and reclaims the file if abandoned; the mapping stays.
     *
     * @return whether the file was reclaimed
     */
    boolean letGo(boolean selfExiting) {
        SegmentHeader.release(region.buffer(), userIndex);
        if (selfExiting && isCreator()) {
            SegmentHeader.casState(region.buffer(), SegmentHeader.STATE_LIVE, SegmentHeader.STATE_OWNER_GONE);
        }
        if (SegmentHeader.doomIfAbandoned(region.buffer(), selfExiting)) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a later sweep retries
            }
            return true;
        }
        return false;
    }

    /** @return whether some process other than those that ended is using the segment (for tests and sweeps) */
    public boolean hasLiveUser() {
        return SegmentHeader.hasLiveUser(open());
    }

    /** @return whether a process that attached the segment has ended without letting go (kill -9, a crash) */
    public boolean hasDeadUser() {
        return SegmentHeader.hasDeadUser(open());
    }

    /**
     * Clears the user entries of processes that ended without letting go (kill -9).
     *
     * @return how many were cleared
     */
    public int clearDeadUsers() {
        return SegmentHeader.clearDeadUsers(open());
    }

    private ByteBuffer open() {
        ByteBuffer b = buffer;
        if (b == CLOSED) {
            throw new IllegalStateException("shared memory block is closed in this process: name=" + name);
        }
        return b;
    }

    // ---- atomic access; offsets are relative to the data and aligned -------------------------------------------

    /** @return the int at {@code offset}, volatile read */
    public int getIntVolatile(int offset) {
        if (RawMemory.ON) {
            return U.getIntVolatile(null, at(offset, 4));
        }
        return (int) INT.getVolatile(buffer, LENGTH + offset);
    }

    /** Volatile write of an int. */
    public void setIntVolatile(int offset, int value) {
        if (RawMemory.ON) {
            U.putIntVolatile(null, at(offset, 4), value);
            return;
        }
        INT.setVolatile(buffer, LENGTH + offset, value);
    }

    /**
     * Release write of an int: with {@link RawMemory} a store fence and a plain store, which is what C2 makes of a
     * release store (on x86 no instruction at all for the fence), while C1, which compiles these paths in a child,
     * makes a volatile store, a full fence, of {@code putOrderedInt}. The store is single-copy atomic: aligned
     * ({@link #at}), on amd64 or aarch64 ({@link RawMemory#ON}).
     */
    public void setIntRelease(int offset, int value) {
        if (RawMemory.ON) {
            long a = at(offset, 4);
            U.storeFence();
            U.putInt(a, value);
            return;
        }
        INT.setRelease(buffer, LENGTH + offset, value);
    }

    /** @return whether the int was {@code expected} and is now {@code value} */
    public boolean compareAndSetInt(int offset, int expected, int value) {
        if (RawMemory.ON) {
            return U.compareAndSwapInt(null, at(offset, 4), expected, value);
        }
        return INT.compareAndSet(buffer, LENGTH + offset, expected, value);
    }

    /** @return the int before adding {@code delta} */
    public int getAndAddInt(int offset, int delta) {
        if (RawMemory.ON) {
            return U.getAndAddInt(null, at(offset, 4), delta);
        }
        return (int) INT.getAndAdd(buffer, LENGTH + offset, delta);
    }

    /** @return the int before setting {@code value} */
    public int getAndSetInt(int offset, int value) {
        if (RawMemory.ON) {
            return U.getAndSetInt(null, at(offset, 4), value);
        }
        return (int) INT.getAndSet(buffer, LENGTH + offset, value);
    }

    /** @return the long at {@code offset}, volatile read */
    public long getLongVolatile(int offset) {
        if (RawMemory.ON) {
            return U.getLongVolatile(null, at(offset, 8));
        }
        return (long) LONG.getVolatile(buffer, LENGTH + offset);
    }

    /** Volatile write of a long. */
    public void setLongVolatile(int offset, long value) {
        if (RawMemory.ON) {
            U.putLongVolatile(null, at(offset, 8), value);
            return;
        }
        LONG.setVolatile(buffer, LENGTH + offset, value);
    }

    /** Release write of a long, as {@link #setIntRelease}. */
    public void setLongRelease(int offset, long value) {
        if (RawMemory.ON) {
            long a = at(offset, 8);
            U.storeFence();
            U.putLong(a, value);
            return;
        }
        LONG.setRelease(buffer, LENGTH + offset, value);
    }

    /** @return whether the long was {@code expected} and is now {@code value} */
    public boolean compareAndSetLong(int offset, long expected, long value) {
        if (RawMemory.ON) {
            return U.compareAndSwapLong(null, at(offset, 8), expected, value);
        }
        return LONG.compareAndSet(buffer, LENGTH + offset, expected, value);
    }

    /** @return the long before adding {@code delta} */
    public long getAndAddLong(int offset, long delta) {
        if (RawMemory.ON) {
            return U.getAndAddLong(null, at(offset, 8), delta);
        }
        return (long) LONG.getAndAdd(buffer, LENGTH + offset, delta);
    }

    /** @return the long before setting {@code value} */
    public long getAndSetLong(int offset, long value) {
        if (RawMemory.ON) {
            return U.getAndSetLong(null, at(offset, 8), value);
        }
        return (long) LONG.getAndSet(buffer, LENGTH + offset, value);
    }

    /**
     * The address of {@code width} bytes at {@code offset} of the data (RawMemory on), checked as a VarHandle
     * checks: IndexOutOfBoundsException outside the data or once closed, IllegalStateException if misaligned.
     */
    private long at(int offset, int width) {
        long b = base;
        if (b == 0 || offset < 0 || offset > size - width || (offset & (width - 1)) != 0) {
            throw refused(offset, width);
        }
        return b + offset;
    }

    /**
     * Why {@link #at} refuses an access; apart, so that {@code at} stays small enough for C1 to inline it into every
     * accessor (35 bytes of bytecode), as a fresh JVM's queue and lock paths are C1's.
     */
    private RuntimeException refused(int offset, int width) {
        if (base == 0 || offset < 0 || offset > size - width) {
            return new IndexOutOfBoundsException("offset " + offset + " (" + width + " bytes) outside the data of "
                    + this);
        }
        return new IllegalStateException("misaligned access at offset " + offset + " (" + width + " bytes) of "
                + this);
    }

    @Override
    public String toString() {
        return "Segment[name=" + name + " size=" + size + " kind=" + kind + (isClosed() ? " closed" : "") + "]";
    }
}
