package org.multiprocessing4j.shared;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.multiprocessing4j.internal.memory.Segment;

/**
 * A named block of memory shared between processes (Python's {@code multiprocessing.shared_memory.SharedMemory}):
 * a file under {@code /dev/shm} (the temp dir where there is none), mode 0600, mapped into each process that
 * creates or attaches it. {@link #buffer()} is a {@code ByteBuffer} over the block, in native byte order.
 *
 * <pre>{@code
 * try (SharedMemory shm = SharedMemory.create(1024)) {
 *     String name = shm.name();                  // hand it to another process, or capture shm in a task
 *     ...                                        // there: SharedMemory.attach(name)
 *     shm.unlink();
 * }
 * }</pre>
 *
 * <h2>Lifecycle and ownership</h2>
 * <pre>
 * call          | this process                          | the block
 * create(…)     | maps it; owns it                      | made, zeroed
 * attach(name)  | maps it                               | unchanged
 * close()       | lets go (idempotent); buffers from    | deleted if its creator has ended and no process
 *               | buffer() stay valid until unreachable | uses it any more
 * unlink()      | keeps its mapping                     | name removed now: a later attach fails; the memory
 *               |                                       | lives until every process has let go
 * </pre>
 * The creator owns the block: a process that only attached never removes it by leaving. When the creator ends
 * (by {@code kill -9} too) without unlinking, the block is removed once no process uses it any more: by the last
 * process that lets go, or else by the next sweep, which runs when a process first uses shared memory and when
 * a parent reaps a child. A block still in use is never removed, so no "leaked" warning is ever due.
 *
 * <h2>Cross-process visibility</h2>
 * Plain reads and writes of the buffer have no ordering between processes: pair them with a
 * {@code org.multiprocessing4j.sync} type (writes before {@code unlock()} are visible after {@code lock()}), or use
 * the shared values of this package for atomic access.
 *
 * <h2>If a participating process dies</h2>
 * The block stays valid for everyone else; its contents are whatever the dead process last wrote.
 *
 * <p>Serializable: a copy sent to another process (captured by a child's target) attaches there by name.
 */
public final class SharedMemory implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private transient Segment segment;

    private SharedMemory(Segment segment) {
        this.segment = segment;
        this.name = segment.name();
    }

    /**
     * Creates a block under a fresh unguessable name.
     *
     * @param size bytes, 1 or more
     * @return the block, owned by this process
     * @throws IllegalArgumentException if size is less than 1
     */
    public static SharedMemory create(int size) {
        checkSize(size);
        return new SharedMemory(Segment.create(size, 0));
    }

    /**
     * Creates a block under {@code name}.
     *
     * @param name letters, digits, '_', '.', '-' (at most 100)
     * @param size bytes, 1 or more
     * @return the block, owned by this process
     * @throws IllegalArgumentException on a bad name or size
     * @throws IllegalStateException if a block of that name exists
     */
    public static SharedMemory create(String name, int size) {
        Objects.requireNonNull(name, "name");
        checkSize(size);
        return new SharedMemory(Segment.create(name, size, 0));
    }

    /**
     * Attaches an existing block.
     *
     * @param name its name
     * @return the block
     * @throws IllegalArgumentException if no block has that name (never made, unlinked, or removed after its
     *     processes ended), or the name belongs to another kind of shared object
     */
    public static SharedMemory attach(String name) {
        Objects.requireNonNull(name, "name");
        Segment s = Segment.attach(name);
        if (s.kind() != 0) {
            s.close();
            throw new IllegalArgumentException("not a SharedMemory block: name=" + name + " kind=" + s.kind()
                    + " (it holds a lock, value or other shared object)");
        }
        return new SharedMemory(s);
    }

    /**
     * Attaches an existing block, checking its size.
     *
     * @param name its name
     * @param size the size the caller expects
     * @return the block
     * @throws IllegalArgumentException if the name is missing or the block's size differs
     */
    public static SharedMemory attach(String name, int size) {
        SharedMemory m = attach(name);
        if (m.size() != size) {
            m.close();
            throw new IllegalArgumentException("shared memory block has another size: name=" + name + " size="
                    + m.size() + " expected=" + size);
        }
        return m;
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        segment = Segment.attach(name);
    }

    /** @return the block's name, for {@link #attach(String)} */
    public String name() {
        return name;
    }

    /** @return the size in bytes */
    public int size() {
        return (int) segment.size();
    }

    /**
     * @return a new {@code ByteBuffer} over the whole block (position 0, limit {@link #size()}, native order)
     * @throws IllegalStateException after {@link #close()}
     */
    public ByteBuffer buffer() {
        return segment.data();
    }

    /** This process lets go of the block (see the class comment). Idempotent. */
    @Override
    public void close() {
        segment.close();
    }

    /** Removes the name now; the memory lives until every process has let go. Idempotent. */
    public void unlink() {
        segment.unlink();
    }

    private static void checkSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("shared memory size must be 1 or more bytes: size=" + size);
        }
    }

    @Override
    public String toString() {
        return "SharedMemory[name=" + name + " size=" + segment.size() + (segment.isClosed() ? " closed" : "") + "]";
    }
}
