package org.multiprocessing4j.internal.pipe;

import static org.multiprocessing4j.internal.pipe.PipeLayout.SLOTS;

import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.resource.ProcessIdentity;

/**
 * The table, in the pipe's segment, of which processes hold copies of each end: per end, slots of
 * (pid, start time, count of open copies, count of pending copies). An end is alive while some slot of a live
 * process has an open copy, or a pending one younger than {@link #PENDING_LEASE_MILLIS}.
 *
 * <pre>
 * Overview.
 *  open a copy / close it         count += 1 / -= 1 in this process's slot
 *  serialize a copy (writeReplace) pending += 1 in this process's slot: the copy counts from then on
 *  deserialize it elsewhere       count += 1 in the receiver's slot, pending -= 1 in the sender's slot
 *  a process dies                  its slot stops counting (liveness by pid + start time); the slot is reused
 * Per end, a sum of counts and a sum of pendings sit beside the table, so "every copy closed" is one read.
 * Updates hold a spin lock in the segment (the pid of the holder; taken over from a dead holder).
 * </pre>
 */
final class Holders {
    /** How long a copy that was serialized but never deserialized keeps its end alive. */
    static final long PENDING_LEASE_MILLIS = 60_000;

    private final Segment seg;

    Holders(Segment seg) {
        this.seg = seg;
    }

    /** Adds {@code delta} to this process's count of open copies of {@code end}. */
    void addCopy(int end, int delta) {
        lock();
        try {
            int slot = ownSlot(end);
            seg.getAndAddInt(slot + 16, delta);
            seg.getAndAddLong(PipeLayout.copies(end), delta);
        } finally {
            unlock();
        }
    }

    /** Counts a copy of {@code end} that is on its way to another process. */
    void addPending(int end) {
        lock();
        try {
            int slot = ownSlot(end);
            seg.getAndAddInt(slot + 20, 1);
            seg.setLongVolatile(slot + 24, System.currentTimeMillis());
            seg.getAndAddLong(PipeLayout.pendingTotal(end), 1);
        } finally {
            unlock();
        }
    }

    /** A copy sent by process (pid, start) has arrived here: it stops being pending there. */
    void claimPending(int end, long pid, long start) {
        lock();
        try {
            for (int i = 0; i < SLOTS; i++) {
                int slot = PipeLayout.slot(end, i);
                if (seg.getLongVolatile(slot) == pid && seg.getLongVolatile(slot + 8) == start
                        && seg.getIntVolatile(slot + 20) > 0) {
                    seg.getAndAddInt(slot + 20, -1);
                    seg.getAndAddLong(PipeLayout.pendingTotal(end), -1);
                    return;
                }
            }
        } finally {
            unlock();
        }
    }

    /** @return false only if every copy of {@code end} is closed and none is pending (one read each; no liveness) */
    boolean mayBeAlive(int end) {
        return seg.getLongVolatile(PipeLayout.copies(end)) > 0 || seg.getLongVolatile(PipeLayout.pendingTotal(end)) > 0;
    }

    /** @return whether some live process holds an open or recently pending copy of {@code end} (reads /proc) */
    boolean isAlive(int end) {
        if (!mayBeAlive(end)) {
            return false;
        }
        long now = System.currentTimeMillis();
        for (int i = 0; i < SLOTS; i++) {
            int slot = PipeLayout.slot(end, i);
            long pid = seg.getLongVolatile(slot);
            if (pid == 0) {
                continue;
            }
            boolean open = seg.getIntVolatile(slot + 16) > 0;
            boolean pending = seg.getIntVolatile(slot + 20) > 0
                    && now - seg.getLongVolatile(slot + 24) < PENDING_LEASE_MILLIS;
            if ((open || pending) && ProcessIdentity.isAlive(pid, seg.getLongVolatile(slot + 8))) {
                return true;
            }
        }
        return false;
    }

    /** This process's slot for {@code end}, claimed if need be (reusing slots of ended processes); lock held. */
    private int ownSlot(int end) {
        long self = ProcessIdentity.selfPid();
        long start = ProcessIdentity.selfStart();
        int free = -1;
        for (int i = 0; i < SLOTS; i++) {
            int slot = PipeLayout.slot(end, i);
            long pid = seg.getLongVolatile(slot);
            if (pid == self && seg.getLongVolatile(slot + 8) == start) {
                return slot;
            }
            if (free < 0 && (pid == 0 || !ProcessIdentity.isAlive(pid, seg.getLongVolatile(slot + 8)))) {
                free = slot;
            }
        }
        if (free < 0) {
            throw new IllegalStateException("too many processes hold this pipe end: max=" + SLOTS);
        }
        int count = seg.getIntVolatile(free + 16);
        int pending = seg.getIntVolatile(free + 20);
        seg.getAndAddLong(PipeLayout.copies(end), -count);
        seg.getAndAddLong(PipeLayout.pendingTotal(end), -pending);
        seg.setLongVolatile(free + 8, start);
        seg.setIntVolatile(free + 16, 0);
        seg.setIntVolatile(free + 20, 0);
        seg.setLongVolatile(free + 24, 0);
        seg.setLongVolatile(free, self);
        return free;
    }

    private void lock() {
        long self = ProcessIdentity.selfPid();
        int spins = 0;
        for (;;) {
            long owner = seg.getLongVolatile(PipeLayout.TABLE_LOCK);
            if (owner == 0 && seg.compareAndSetLong(PipeLayout.TABLE_LOCK, 0, self)) {
                return;
            }
            if (owner == self) {
                Thread.onSpinWait();
            } else if (++spins % 1000 == 0 && owner != 0 && !ProcessIdentity.isAlive(owner, 0)) {
                seg.compareAndSetLong(PipeLayout.TABLE_LOCK, owner, 0);
            } else {
                Thread.yield();
            }
        }
    }

    private void unlock() {
        seg.setLongVolatile(PipeLayout.TABLE_LOCK, 0);
    }
}
