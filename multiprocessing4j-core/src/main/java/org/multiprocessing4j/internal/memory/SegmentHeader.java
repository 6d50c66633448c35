package org.multiprocessing4j.internal.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.multiprocessing4j.internal.resource.ProcessIdentity;

/**
 * The header page at the start of every segment file: named offsets (as Agrona's {@code RingBufferDescriptor}) and
 * the operations on its table of users.
 *
 * <pre>
 * Overview: memory layout (native byte order; every field aligned to its size)
 *   offset  size  field
 *   0       4     magic 0x4D50344A ("MP4J"), written last with release semantics: a reader that sees it sees the rest
 *   4       4     layout version (1)
 *   8       8     data size in bytes (what the user asked for)
 *   16      8     creator pid
 *   24      8     creator start time (ms since the epoch; 0 = unknown)
 *   32      4     state: LIVE, OWNER_GONE (the creator ended in order), DOOMED (being reclaimed), UNLINKED
 *   36      4     kind: what the data holds (0 = raw bytes of a SharedMemory; others name a primitive's layout)
 *   64      16*N  user table, N = {@value #USER_SLOTS}: per entry a pid (0 = free) and that process's start time
 *   4096          data (page-aligned)
 *
 * Users: every process that maps the segment claims one entry (CAS of the pid from 0, then its start time; an
 * entry with a pid and no start time yet is "registering" and is judged by its pid alone) and clears it when it
 * lets go, also from a shutdown hook. A process killed with kill -9 leaves its entry: dead entries are recognised
 * by pid and start time (ProcessIdentity) and do not count.
 *
 * Reclaiming (the file is deleted) happens when the creator is gone (ended, or state OWNER_GONE) and no entry
 * names a live process. The reclaimer first moves the state LIVE/OWNER_GONE -> DOOMED, then reads the table again;
 * an attacher first claims its entry, then reads the state. Both are sequentially consistent, so either the
 * reclaimer sees the new user (and restores the state) or the attacher sees DOOMED (and fails as if the name were
 * already gone): a file is never deleted under a process that attached it. A reclaimer that ends between the two
 * steps leaves the state DOOMED: the next reclaimer that finds the creator gone and no user alive deletes the file.
 * </pre>
 */
final class SegmentHeader {
    static final int MAGIC = 0x4D50344A;
    static final int VERSION = 1;
    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int SIZE_OFFSET = 8;
    static final int CREATOR_PID_OFFSET = 16;
    static final int CREATOR_START_OFFSET = 24;
    static final int STATE_OFFSET = 32;
    static final int KIND_OFFSET = 36;
    static final int USERS_OFFSET = 64;
    static final int USER_ENTRY = 16;
    static final int USER_SLOTS = 248;
    static final int LENGTH = 4096;

    static final int STATE_LIVE = 1;
    static final int STATE_OWNER_GONE = 2;
    static final int STATE_DOOMED = 3;
    static final int STATE_UNLINKED = 4;

    static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private SegmentHeader() {
    }

    /** Writes a fresh header; the magic goes last. */
    static void initialize(ByteBuffer b, long dataSize, int kind) {
        INT.setVolatile(b, VERSION_OFFSET, VERSION);
        LONG.setVolatile(b, SIZE_OFFSET, dataSize);
        LONG.setVolatile(b, CREATOR_PID_OFFSET, ProcessIdentity.selfPid());
        LONG.setVolatile(b, CREATOR_START_OFFSET, ProcessIdentity.selfStart());
        INT.setVolatile(b, KIND_OFFSET, kind);
        INT.setVolatile(b, STATE_OFFSET, STATE_LIVE);
        INT.setRelease(b, MAGIC_OFFSET, MAGIC);
    }

    static boolean hasMagic(ByteBuffer b) {
        return (int) INT.getAcquire(b, MAGIC_OFFSET) == MAGIC && (int) INT.getVolatile(b, VERSION_OFFSET) == VERSION;
    }

    static long dataSize(ByteBuffer b) {
        return (long) LONG.getVolatile(b, SIZE_OFFSET);
    }

    static int kind(ByteBuffer b) {
        return (int) INT.getVolatile(b, KIND_OFFSET);
    }

    static int state(ByteBuffer b) {
        return (int) INT.getVolatile(b, STATE_OFFSET);
    }

    static boolean casState(ByteBuffer b, int expected, int value) {
        return INT.compareAndSet(b, STATE_OFFSET, expected, value);
    }

    static long creatorPid(ByteBuffer b) {
        return (long) LONG.getVolatile(b, CREATOR_PID_OFFSET);
    }

    static boolean isCreator(ByteBuffer b) {
        return creatorPid(b) == ProcessIdentity.selfPid()
                && (long) LONG.getVolatile(b, CREATOR_START_OFFSET) == ProcessIdentity.selfStart();
    }

    /** Makes (pid, start) the creator; the caller is a live user meanwhile, so no reclaimer acts on the mix. */
    static void setCreator(ByteBuffer b, long pid, long start) {
        LONG.setVolatile(b, CREATOR_START_OFFSET, start);
        LONG.setVolatile(b, CREATOR_PID_OFFSET, pid);
    }

    /** @return whether the creator has ended (in order, or killed) */
    static boolean creatorGone(ByteBuffer b) {
        int s = state(b);
        if (s == STATE_OWNER_GONE || s == STATE_UNLINKED) {
            return true;
        }
        return !ProcessIdentity.isAlive(creatorPid(b), (long) LONG.getVolatile(b, CREATOR_START_OFFSET));
    }

    /**
     * Claims a user entry for this process, clearing dead entries if the table is full.
     *
     * @return the entry's index
     * @throws IllegalStateException if every entry names a live process
     */
    static int register(ByteBuffer b) {
        long pid = ProcessIdentity.selfPid();
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < USER_SLOTS; i++) {
                int at = USERS_OFFSET + i * USER_ENTRY;
                if ((long) LONG.getVolatile(b, at) == 0 && LONG.compareAndSet(b, at, 0L, pid)) {
                    LONG.setVolatile(b, at + 8, ProcessIdentity.selfStart());
                    return i;
                }
            }
            clearDeadUsers(b);
        }
        throw new IllegalStateException("segment user table is full: slots=" + USER_SLOTS
                + " (every slot names a live process; fewer processes may attach one segment)");
    }

    /** Clears the entry this process claimed. */
    static void release(ByteBuffer b, int index) {
        int at = USERS_OFFSET + index * USER_ENTRY;
        LONG.setVolatile(b, at + 8, 0L);
        LONG.compareAndSet(b, at, ProcessIdentity.selfPid(), 0L);
    }

    /** @return whether some entry names a live process */
    static boolean hasLiveUser(ByteBuffer b) {
        for (int i = 0; i < USER_SLOTS; i++) {
            int at = USERS_OFFSET + i * USER_ENTRY;
            long pid = (long) LONG.getVolatile(b, at);
            if (pid != 0 && ProcessIdentity.isAlive(pid, (long) LONG.getVolatile(b, at + 8))) {
                return true;
            }
        }
        return false;
    }

    /** @return whether some entry names a process that has ended without letting go */
    static boolean hasDeadUser(ByteBuffer b) {
        for (int i = 0; i < USER_SLOTS; i++) {
            int at = USERS_OFFSET + i * USER_ENTRY;
            long pid = (long) LONG.getVolatile(b, at);
            if (pid != 0 && !ProcessIdentity.isAlive(pid, (long) LONG.getVolatile(b, at + 8))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Clears entries of processes that are gone.
     *
     * @return how many were cleared
     */
    static int clearDeadUsers(ByteBuffer b) {
        int cleared = 0;
        for (int i = 0; i < USER_SLOTS; i++) {
            int at = USERS_OFFSET + i * USER_ENTRY;
            long pid = (long) LONG.getVolatile(b, at);
            if (pid != 0) {
                long start = (long) LONG.getVolatile(b, at + 8);
                if (!ProcessIdentity.isAlive(pid, start)) {
                    // clear only if the entry is unchanged: the same pid may just have been claimed anew
                    if ((long) LONG.getVolatile(b, at + 8) == start && LONG.compareAndSet(b, at, pid, 0L)) {
                        LONG.compareAndSet(b, at + 8, start, 0L);
                        cleared++;
                    }
                }
            }
        }
        return cleared;
    }

    /**
     * Moves the state to DOOMED if the creator is gone and no user is alive; the caller then deletes the file. A
     * segment found DOOMED already, with its creator gone and no user alive, is doomed for this caller too: its
     * reclaimer ended between the two steps (killed, or halted in its shutdown hooks; seen once in the test suite,
     * a pipe's file left for good), or it is deleting the file right now (deleting twice is harmless). Nothing can
     * attach a DOOMED segment, and a reclaimer that restores the state does so for a live user, which this caller
     * sees too (it reads the table after the state).
     *
     * @param selfExiting whether this process, being in its shutdown hooks, counts as gone
     * @return whether the segment is doomed
     */
    static boolean doomIfAbandoned(ByteBuffer b, boolean selfExiting) {
        int s = state(b);
        if (s == STATE_UNLINKED) {
            return false;
        }
        boolean creatorGone = creatorGone(b) || (selfExiting && isCreator(b));
        if (!creatorGone || hasLiveUser(b)) {
            return false;
        }
        if (s == STATE_DOOMED) {
            return true;
        }
        if (!casState(b, s, STATE_DOOMED)) {
            return false;
        }
        if (hasLiveUser(b)) {
            casState(b, STATE_DOOMED, s);
            return false;
        }
        return true;
    }
}
