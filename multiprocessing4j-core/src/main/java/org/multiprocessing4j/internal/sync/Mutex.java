package org.multiprocessing4j.internal.sync;

import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.resource.ProcessIdentity;
import org.multiprocessing4j.internal.wait.ThreadSlots;
import org.multiprocessing4j.internal.wait.WaitQueue;

/**
 * A robust mutex in shared memory, optionally reentrant: the lock of {@code ProcessLock},
 * {@code ProcessReentrantLock} and the shared values.
 *
 * <pre>
 * Overview: memory layout at {@code offset} (BYTES)
 *   +0   long  word: 0 = free, else the owner's ThreadSlots.ownerKey() (pid << 32 | thread << 1) | WAITERS (1)
 *   +8   int   holds: reentrant hold count, touched by the owner only
 *   +12  int   previous owner died: set by the thread that took the lock from a dead owner, cleared on release
 *   +16  int   pid of the process that acquired it last (written only when it changes)
 *   +24  WaitQueue
 *
 * Algorithm (Drepper's "futexes are tricky" mutex #2, with WaitQueue as the futex):
 *   lock:   CAS word 0 -> key. Else spin trying the same, with exponential back-off between reads (up to
 *           mp4j.lock.maxBackoff onSpinWait()s, 256) for mp4j.lock.spinNanos (20 us), then yield a few times
 *           (both are system properties, for tuning on a given machine). Else loop: set WAITERS on the held word,
 *           announce in the queue, re-check that the word is still held with WAITERS, park; after a wake-up take
 *           a free word as key|WAITERS (someone else may still wait: a spurious wake-up later is cheap, a lost one
 *           is not).
 *   unlock: getAndSet word -> 0; if WAITERS was set, wake one waiter.
 *   hand-off damping: lock() first reads the pid of the last acquirer; if another process acquired last, it waits
 *           mp4j.lock.handoffNanos (2 us) without touching the lock's line before its CAS. Two processes that
 *           lock and unlock in tight loops otherwise alternate at every operation, one cache-line transfer each
 *           (~10M/s on the test machines); damped, each runs bursts. Costs one load when one process uses the lock.
 *   A waiter woken by unlock that leaves without the lock (time-out, interrupt) passes the wake on.
 * Robustness: a parked waiter polls every POLL ms (and tryLock(), at most that often) whether the owner's process is
 * alive; if not, it CASes the same word to its own key and sets "previous owner died". Liveness is judged by pid
 * alone, so a pid reused while a dead owner's lock is held would hide the death (pids wrap after millions).
 * A thread that ends while holding the lock in a live process keeps it held, as with java.util.concurrent locks.
 * Fairness: none (barging, see WaitQueue).
 * </pre>
 */
public final class Mutex {
    /** Bytes a mutex takes in a segment. */
    public static final int BYTES = 24 + WaitQueue.BYTES;
    private static final long WAITERS = 1;
    private static final long SPIN_NANOS = Long.getLong("mp4j.lock.spinNanos", 20_000L);
    private static final int MAX_BACKOFF = Integer.getInteger("mp4j.lock.maxBackoff", 256);
    private static final int YIELDS = 4;
    private static final long POLL = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long HANDOFF_NANOS = Long.getLong("mp4j.lock.handoffNanos", 2_000L);
    private static final int SELF_PID = (int) ProcessIdentity.selfPid();

    private final Segment segment;
    private final int word;
    private final int holds;
    private final int died;
    private final int lastPid;
    private final WaitQueue queue;
    private final boolean reentrant;
    private volatile long lastDeadCheck;

    /**
     * @param segment the segment
     * @param offset where the mutex starts (8-byte aligned; zeroed memory is a free mutex)
     * @param reentrant whether the owner may lock again (and only the owner may unlock)
     */
    public Mutex(Segment segment, int offset, boolean reentrant) {
        this.segment = segment;
        this.word = offset;
        this.holds = offset + 8;
        this.died = offset + 12;
        this.lastPid = offset + 16;
        this.queue = new WaitQueue(segment, offset + 24);
        this.reentrant = reentrant;
    }

    /** Locks, waiting as long as it takes; an interrupt is kept for later. */
    public void lock() {
        long key = ThreadSlots.ownerKey();
        int last = segment.getIntVolatile(lastPid);
        if (last != SELF_PID) {
            yieldToOtherProcess(last);
        }
        if (segment.compareAndSetLong(word, 0, key)) {
            if (reentrant) {
                segment.setIntRelease(holds, 1);
            }
            if (last != SELF_PID) {
                segment.setIntRelease(lastPid, SELF_PID);
            }
            return;
        }
        if (!reenter(key)) {
            try {
                slowLock(key, Long.MAX_VALUE, false);
            } catch (InterruptedException e) {
                throw new IllegalStateException("not interruptible", e);
            }
        }
    }

    /**
     * Locks, waiting until the deadline.
     *
     * @param deadline {@link System#nanoTime()} deadline, {@link Long#MAX_VALUE} for none
     * @return whether it is locked
     * @throws InterruptedException if interrupted on entry or while waiting (then not locked)
     */
    public boolean lockInterruptibly(long deadline) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long key = ThreadSlots.ownerKey();
        int last = segment.getIntVolatile(lastPid);
        if (last != SELF_PID) {
            yieldToOtherProcess(last);
        }
        if (segment.compareAndSetLong(word, 0, key)) {
            acquired();
            return true;
        }
        return reenter(key) || slowLock(key, deadline, true);
    }

    /** @return whether it locked without waiting (also taking over from a dead owner) */
    public boolean tryLock() {
        long key = ThreadSlots.ownerKey();
        while (true) {
            if (segment.compareAndSetLong(word, 0, key)) {
                acquired();
                return true;
            }
            if (reenter(key)) {
                return true;
            }
            long v = segment.getLongVolatile(word);
            if (v == 0) {
                continue; // released meanwhile: try again
            }
            long now = System.nanoTime();
            if (now - lastDeadCheck > POLL) {
                lastDeadCheck = now;
                return takeFromDead(v, key);
            }
            return false;
        }
    }

    /**
     * Unlocks.
     *
     * @throws IllegalMonitorStateException if not locked; for a reentrant mutex, if not locked by this thread
     */
    public void unlock() {
        if (!reentrant) {
            if (segment.getIntVolatile(died) != 0) {
                segment.setIntVolatile(died, 0);
            }
            long old = segment.getAndSetLong(word, 0);
            if (old == 0) {
                throw new IllegalMonitorStateException("unlock of a lock that is not locked: segment="
                        + segment.name());
            }
            if ((old & WAITERS) != 0) {
                queue.wakeOne();
            }
            return;
        }
        long v = segment.getLongVolatile(word);
        if (v == 0) {
            throw new IllegalMonitorStateException("unlock of a lock that is not locked: segment="
                    + segment.name());
        }
        if ((v & ~WAITERS) != ThreadSlots.ownerKey()) {
            throw new IllegalMonitorStateException("unlock by a thread that does not hold the lock: segment="
                    + segment.name() + " ownerPid=" + (v >>> 32) + " ownerThread=" + ((v & 0xFFFF_FFFFL) >>> 1)
                    + " currentPid=" + ProcessIdentity.selfPid());
        }
        int h = segment.getIntVolatile(holds);
        if (h > 1) {
            segment.setIntRelease(holds, h - 1);
            return;
        }
        release(); // holds stays 1: the next owner sets it
    }

    /** @return whether the current thread holds the lock */
    public boolean isHeldByCurrentThread() {
        return (segment.getLongVolatile(word) & ~WAITERS) == ThreadSlots.ownerKey();
    }

    /** @return whether some thread of some process holds the lock */
    public boolean isLocked() {
        return segment.getLongVolatile(word) != 0;
    }

    /** @return the hold count of the current thread (0 if it does not hold the lock) */
    public int holdCount() {
        if (!isHeldByCurrentThread()) {
            return 0;
        }
        return reentrant ? segment.getIntVolatile(holds) : 1;
    }

    /** @return whether the current holder took the lock from an owner whose process had died */
    public boolean previousOwnerDied() {
        return segment.getLongVolatile(word) != 0 && segment.getIntVolatile(died) != 0;
    }

    /**
     * Releases the lock entirely, for a condition wait.
     *
     * @return the hold count to restore with {@link #reacquire}
     * @throws IllegalMonitorStateException if the current thread does not hold it
     */
    public int fullyRelease() {
        if (!isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("the current thread does not hold the lock: segment="
                    + segment.name());
        }
        int h = reentrant ? segment.getIntVolatile(holds) : 1;
        if (reentrant) {
            segment.setIntRelease(holds, 0);
        }
        release();
        return h;
    }

    /** Locks again after a condition wait, uninterruptibly, and restores the hold count. */
    public void reacquire(int holdCount) {
        lock();
        if (reentrant) {
            segment.setIntRelease(holds, holdCount);
        }
    }

    private void acquired() {
        if (reentrant) {
            segment.setIntRelease(holds, 1);
        }
        if (segment.getIntVolatile(lastPid) != SELF_PID) {
            segment.setIntRelease(lastPid, SELF_PID);
        }
    }

    /**
     * If another process held the lock last, waits {@code HANDOFF_NANOS} before trying: that process is likely
     * in a burst of lock/unlock, and letting it run the burst costs far less than passing the lock's cache line
     * between cores at every acquisition (which caps two processes that alternate at one line transfer per
     * operation). In one process, or once this process holds it, this is one load of a word on the lock's line.
     */
    private static void yieldToOtherProcess(int last) {
        if (last != 0) {
            long start = System.nanoTime();
            do {
                Thread.onSpinWait(); // touches no shared line: the other process keeps the lock's line meanwhile
            } while (System.nanoTime() - start < HANDOFF_NANOS);
        }
    }

    private boolean reenter(long key) {
        if (reentrant && (segment.getLongVolatile(word) & ~WAITERS) == key) {
            int h = segment.getIntVolatile(holds);
            if (h == Integer.MAX_VALUE) {
                throw new Error("maximum lock count exceeded");
            }
            segment.setIntRelease(holds, h + 1);
            return true;
        }
        return false;
    }

    private void release() {
        if (segment.getIntVolatile(died) != 0) {
            segment.setIntVolatile(died, 0);
        }
        long old = segment.getAndSetLong(word, 0);
        if ((old & WAITERS) != 0) {
            queue.wakeOne();
        }
    }

    private boolean slowLock(long key, long deadline, boolean interruptible) throws InterruptedException {
        // spin with exponential back-off: a waiter that keeps off the lock's cache line lets the holder run on at
        // full speed, which is what makes a contended lock fast (and unfair: see the class comment)
        int backoff = 1;
        long spinStart = System.nanoTime();
        do {
            if (segment.getLongVolatile(word) == 0 && segment.compareAndSetLong(word, 0, key)) {
                acquired();
                return true;
            }
            for (int j = 0; j < backoff; j++) {
                Thread.onSpinWait();
            }
            backoff = Math.min(backoff << 1, MAX_BACKOFF);
        } while (System.nanoTime() - spinStart < SPIN_NANOS);
        for (int i = 0; i < YIELDS; i++) {
            Thread.yield();
            if (segment.getLongVolatile(word) == 0 && segment.compareAndSetLong(word, 0, key)) {
                acquired();
                return true;
            }
        }
        while (true) {
            long v = segment.getLongVolatile(word);
            if (v == 0) {
                if (segment.compareAndSetLong(word, 0, key | WAITERS)) {
                    acquired();
                    return true;
                }
                continue;
            }
            if ((v & WAITERS) == 0 && !segment.compareAndSetLong(word, v, v | WAITERS)) {
                continue;
            }
            int slot = queue.enter();
            long now = segment.getLongVolatile(word);
            if (now == 0 || (now & WAITERS) == 0) {
                queue.leave(slot); // a wake meant for us is moot: we try again at once
                continue;
            }
            WaitQueue.Wake w = queue.park(slot, deadline, interruptible, POLL);
            boolean woken = queue.leave(slot);
            if (w == WaitQueue.Wake.INTERRUPTED || w == WaitQueue.Wake.TIMED_OUT) {
                if (segment.getLongVolatile(word) == 0 && segment.compareAndSetLong(word, 0, key | WAITERS)) {
                    acquired();
                    if (w == WaitQueue.Wake.INTERRUPTED) {
                        Thread.currentThread().interrupt();
                    }
                    return true;
                }
                if (w == WaitQueue.Wake.TIMED_OUT && takeFromDead(segment.getLongVolatile(word), key | WAITERS)) {
                    return true; // a wait shorter than the poll interval still notices a dead owner at its end
                }
                if (woken) {
                    queue.wakeOne();
                }
                if (w == WaitQueue.Wake.INTERRUPTED) {
                    throw new InterruptedException();
                }
                return false;
            }
            if (w == WaitQueue.Wake.POLL && takeFromDead(segment.getLongVolatile(word), key | WAITERS)) {
                return true;
            }
        }
    }

    /** Takes the lock over if {@code v} is held by a thread of a process that has ended. */
    private boolean takeFromDead(long v, long newWord) {
        long pid = v >>> 32;
        if (v == 0 || pid == ProcessIdentity.selfPid() || ProcessIdentity.isAlive(pid, 0)) {
            return false;
        }
        if (segment.compareAndSetLong(word, v, newWord)) {
            segment.setIntVolatile(died, 1);
            acquired();
            return true;
        }
        return false;
    }
}
