package org.multiprocessing4j.internal.pipe;

import java.util.HashMap;
import java.util.Map;
import org.multiprocessing4j.internal.PrimitiveUse;
import org.multiprocessing4j.internal.memory.Segment;

/**
 * This process's mapping of one pipe's segment, shared by every copy of either end that this process holds, and
 * released when the last of them is closed.
 */
final class SharedPipe {
    private static final Map<String, SharedPipe> OPEN = new HashMap<>();

    private final Segment seg;
    private final boolean duplex;
    private final Holders holders;
    private final ShmRing[] rings;
    private int localCopies;

    private SharedPipe(Segment seg, boolean duplex, int capacity) {
        PrimitiveUse.note(PrimitiveUse.PIPE);
        this.seg = seg;
        this.duplex = duplex;
        this.holders = new Holders(seg);
        this.rings = new ShmRing[duplex ? 2 : 1];
        for (int r = 0; r < rings.length; r++) {
            rings[r] = new ShmRing(seg, holders, r, capacity);
        }
    }

    /**
     * Creates a pipe's segment; the caller registers the two ends' first copies.
     *
     * @param duplex whether both ends send
     * @param capacity ring capacity per direction
     * @return the mapping
     */
    static SharedPipe create(boolean duplex, int capacity) {
        PipeLayout.checkCapacity(capacity);
        Segment seg = Segment.create(PipeLayout.size(duplex, capacity), PipeLayout.KIND);
        try {
            seg.setIntVolatile(PipeLayout.DUPLEX, duplex ? 1 : 0);
            seg.setIntVolatile(PipeLayout.RING_CAPACITY, capacity);
            seg.setIntVolatile(PipeLayout.MAGIC_OFFSET, PipeLayout.MAGIC);
            SharedPipe pipe = new SharedPipe(seg, duplex, capacity);
            synchronized (OPEN) {
                OPEN.put(seg.name(), pipe);
            }
            return pipe;
        } catch (RuntimeException | Error e) {
            seg.close();
            throw e;
        }
    }

    /**
     * This process's mapping of a pipe made elsewhere (or here): the one open, else a new attach.
     *
     * @param name the segment name
     * @return the mapping; the caller counts its copy with {@link #retain()}
     * @throws IllegalArgumentException if the pipe no longer exists (every process that held it has let go)
     */
    static SharedPipe attach(String name) {
        synchronized (OPEN) {
            SharedPipe pipe = OPEN.get(name);
            if (pipe == null) {
                Segment seg = Segment.attach(name);
                if (seg.kind() != PipeLayout.KIND || seg.getIntVolatile(PipeLayout.MAGIC_OFFSET) != PipeLayout.MAGIC) {
                    seg.close();
                    throw new IllegalArgumentException("shared memory block is not a pipe: name=" + name
                            + " kind=" + seg.kind());
                }
                pipe = new SharedPipe(seg, seg.getIntVolatile(PipeLayout.DUPLEX) != 0, seg.getIntVolatile(PipeLayout.RING_CAPACITY));
                OPEN.put(name, pipe);
            }
            return pipe;
        }
    }

    /** Deletes the segment's name: no other process can attach the pipe any more. */
    void unlinkName() {
        seg.unlink();
    }

    /** Counts one more copy held by this process. */
    void retain() {
        synchronized (OPEN) {
            localCopies++;
        }
    }

    /**
     * Counts one copy less; the last one unmaps the segment in this process, and removes its file if no copy of
     * either end is open or pending anywhere (none can appear again: only a pending copy can be deserialized).
     * Otherwise the memory layer removes the file once the creator and every user have ended.
     */
    void release() {
        synchronized (OPEN) {
            if (--localCopies == 0) {
                OPEN.remove(seg.name(), this);
                if (!holders.mayBeAlive(0) && !holders.mayBeAlive(1)) {
                    try {
                        seg.unlink();
                    } catch (RuntimeException e) {
                        // the memory layer's sweep removes it later
                    }
                }
                seg.close();
            }
        }
    }

    /** Wakes every waiter on every ring: an end was closed, so end of stream or a failed send may be due. */
    void wakeAll() {
        for (ShmRing ring : rings) {
            ring.wakeAll();
        }
    }

    String name() {
        return seg.name();
    }

    boolean duplex() {
        return duplex;
    }

    Holders holders() {
        return holders;
    }

    /** @return the ring that {@code end} reads (0 = left, 1 = right) */
    ShmRing readRing(int end) {
        return rings[end];
    }

    /** @return the ring that {@code end} writes */
    ShmRing writeRing(int end) {
        return rings[1 - end];
    }
}
