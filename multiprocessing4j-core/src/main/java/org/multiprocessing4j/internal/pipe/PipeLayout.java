package org.multiprocessing4j.internal.pipe;

/**
 * Named offsets of a pipe's shared-memory segment (relative to the segment's data), as Agrona's
 * {@code RingBufferDescriptor}.
 *
 * <pre>
 * offset                       field
 * 0                            magic (int)
 * 8                            holder table lock (long: pid of the holder, 0 when free)
 * 16                           duplex (int: 1 or 0)      20  ring capacity (int)
 * 64 + 64*end                  copies of end (long: sum of the holders' counts), pending copies (long, at +8)
 * HOLDERS + end*SLOTS*SLOT     holder slots of end 0 (left) and 1 (right), SLOT bytes each:
 *                                +0 pid (long), +8 start millis (long), +16 count (int), +20 pending (int),
 *                                +24 time of the last pending copy, millis (long)
 * RINGS + ring*(RING_HEADER+capacity)   ring 0 carries messages to the left end, ring 1 to the right end (duplex)
 *   +0   write lock (long: pid, 0 when free)     +64  read lock (long)
 *   +128 tail (long: bytes ever written)         +192 head (long: bytes ever read)
 *   +256 broken (int: 1 once a process died mid-message)
 *   +320 writer mid-message (int)                +384 reader mid-message (int): a dead lock holder with its flag
 *        set leaves the ring broken; one without is simply replaced
 *   +512  WaitQueue of readers waiting for data     +1536 WaitQueue of writers waiting for space
 *   +2560 WaitQueue of threads waiting for the read lock, +3136 for the write lock
 *         (internal.wait: woken through the waiting process's doorbell)
 *   +RING_HEADER  capacity bytes of data, a power of two; each message is an 8-byte length then its bytes
 * </pre>
 */
final class PipeLayout {
    static final int MAGIC = 0x6d70_3470;
    static final int KIND = 0x5049_5045;
    static final int MAGIC_OFFSET = 0;
    static final int TABLE_LOCK = 8;
    static final int DUPLEX = 16;
    static final int RING_CAPACITY = 20;
    static final int SLOTS = 64;
    static final int SLOT = 32;
    static final int HOLDERS = 256;
    static final int RINGS = 8192;
    static final int RING_HEADER = 4096;
    static final int WRITE_LOCK = 0;
    static final int READ_LOCK = 64;
    static final int TAIL = 128;
    static final int HEAD = 192;
    static final int BROKEN = 256;
    static final int WRITE_MID = 320;
    static final int READ_MID = 384;
    static final int DATA_QUEUE = 512;
    static final int SPACE_QUEUE = 1536;
    static final int READ_LOCK_QUEUE = 2560;
    static final int WRITE_LOCK_QUEUE = 3136;
    static final int LENGTH_HEADER = 8;
    /**
     * Ring capacity per direction: 4 MiB. Pages are not touched at creation (that cost ~5 ms per Pipe.open): the
     * first pass of the ring faults them in, later passes reuse them. Against 1 MiB, 4 MiB doubled pipe_bandwidth on
     * a loaded 2-core machine (fewer hand-overs between writer and reader when either is descheduled).
     */
    static final int CAPACITY = 1 << 22;

    private PipeLayout() {
    }

    static int copies(int end) {
        return 64 + 64 * end;
    }

    static int pendingTotal(int end) {
        return copies(end) + 8;
    }

    static int slot(int end, int i) {
        return HOLDERS + (end * SLOTS + i) * SLOT;
    }

    static int ring(int ring, int capacity) {
        return RINGS + ring * (RING_HEADER + capacity);
    }

    static long size(boolean duplex, int capacity) {
        return ring(duplex ? 2 : 1, capacity);
    }

    static void checkCapacity(int capacity) {
        if (capacity < 4096 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity must be a power of two of at least 4096: capacity="
                    + capacity);
        }
    }
}
