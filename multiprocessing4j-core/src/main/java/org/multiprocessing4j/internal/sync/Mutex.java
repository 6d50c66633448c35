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
 *   +0   long  word (below)
 *   +8   int   holds: reentrant hold count, touched by the owner only
 *   +16  WaitQueue
 *
 * The word: bits 63..32 a pid, bits 30..1 a thread (never 0 for a real owner: ThreadSlots.ownerKey()),
 * bit 31 DIED, bit 0 WAITERS.
 *   free:  thread bits 0; the pid is the process that released it last (0 before first use). Keeping the last
 *          pid in the free word lets the common case, a process that locks what it unlocked last, lock with one
 *          CAS of (its pid, free) -> its key, and lets any other process see that the lock comes from elsewhere.
 *   held:  the owner's key | WAITERS if a thread may be parked | DIED if the owner took it over from a dead one.
 *
 * Algorithm (Drepper's "futexes are tricky" mutex #2, with WaitQueue as the futex):
 *   lock:   CAS (self, free) -> key. Else read the word: free, released last by another process -> wait
 *           mp4j.lock.handoffNanos (2 us) without touching the lock's line, then CAS it -> key (hand-off damping:
 *           two processes in tight lock/unlock loops would otherwise alternate at every operation, one cache-line
 *           transfer between cores each, ~10M/s here; damped, each runs bursts). Else spin trying, with
 *           exponential back-off between reads (timed: mp4j.lock.minBackoffNanos 2 us doubling up to
 *           mp4j.lock.maxBackoffNanos 8 us; every read of the word takes its line from the holder, and a process
 *           that just lost the lock should let the other run a burst) for mp4j.lock.spinNanos (20 us), then yield
 *           a few times. Else loop: set WAITERS on the held word,
 *           announce in the queue, re-check that the word is still held with WAITERS, park; after a wake-up take a
 *           free word as key|WAITERS (someone else may still wait: a spurious wake-up later is cheap, a lost one
 *           is not).
 *   unlock: getAndSet word -> (self, free); if WAITERS was set, wake one waiter.
 *   A waiter woken by unlock that leaves without the lock (time-out, interrupt) passes the wake on.
 * Robustness: a parked waiter polls every POLL ms (and tryLock(), at most that often; and a timed wait at its end)
 * whether the owner's process is alive; if not, it CASes the same word to its own key | DIED. Liveness is judged by
 * pid alone, so a pid reused while a dead owner's lock is held would hide the death (pids wrap after millions).
 * A thread that ends while holding the lock in a live process keeps it held, as with java.util.concurrent locks.
 * Fairness: none (barging, see WaitQueue).
 * </pre>
 */
public final class Mutex {
    /** Bytes a mutex takes in a segment. */
    public static final int BYTES = 16 + WaitQueue.BYTES;
    private static final long WAITERS = 1;
    private static final long DIED = 1L << 31;
    private static final long THREAD = 0x7FFF_FFFEL;
    private static final long OWNER = ~(WAITERS | DIED);
    private static final long SPIN_NANOS = Long.getLong("mp4j.lock.spinNanos", 20_000L);
    private static final long MIN_BACKOFF_NANOS = Long.getLong("mp4j.lock.minBackoffNanos", 2_000L);
    private static final long MAX_BACKOFF_NANOS = Long.getLong("mp4j.lock.maxBackoffNanos", 8_000L);
    private static final int YIELDS = 4;
    private static final long POLL = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long HANDOFF_NANOS = Long.getLong("mp4j.lock.handoffNanos", 2_000L);
    private static final long SELF_PID = ProcessIdentity.selfPid();
    private static final long FREE_SELF = SELF_PID << 32;

    private final Segment segment;
    private final int word;
    private final int holds;
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
        this.queue = new WaitQueue(segment, offset + 16, false);
        this.reentrant = reentrant;
    }

    private static boolean isHeld(long v) {
        return (v & THREAD) != 0;
    }

    /** Locks, waiting as long as it takes; an interrupt is kept for later. */
    public void lock() {
        long key = ThreadSlots.ownerKey();
        if (segment.compareAndSetLong(word, FREE_SELF, key)) {
            acquired();
            return;
        }
        if (!lockFree(key, true) && !reenter(key)) {
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
        if (segment.compareAndSetLong(word, FREE_SELF, key)) {
            acquired();
            return true;
        }
        return lockFree(key, true) || reenter(key) || slowLock(key, deadline, true);
    }

    /**
     * Locks if the lock is free and a thread of this process released it last: one compare-and-set, no wait, no
     * hand-off pause. When it returns true, no other process has held the lock since this process released it, so
     * what this process wrote under the lock is still all that was written under it.
     *
     * @return whether it locked
     */
    public boolean tryLockReleasedHere() {
        if (segment.compareAndSetLong(word, FREE_SELF, ThreadSlots.ownerKey())) {
            acquired();
            return true;
        }
        return false;
    }

    /** @return whether it locked without waiting (also taking over from a dead owner) */
    public boolean tryLock() {
        long key = ThreadSlots.ownerKey();
        if (segment.compareAndSetLong(word, FREE_SELF, key)) {
            acquired();
            return true;
        }
        while (true) {
            if (lockFree(key, false) || reenter(key)) {
                return true;
            }
            long v = segment.getLongVolatile(word);
            if (!isHeld(v)) {
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
            long old = segment.getAndSetLong(word, FREE_SELF);
            if (!isHeld(old)) {
                throw new IllegalMonitorStateException("unlock of a lock that is not locked: segment="
                        + segment.name());
            }
            if ((old & WAITERS) != 0) {
                queue.wakeOne();
            }
            return;
        }
        long v = segment.getLongVolatile(word);
        if (!isHeld(v)) {
            throw new IllegalMonitorStateException("unlock of a lock that is not locked: segment="
                    + segment.name());
        }
        if ((v & OWNER) != ThreadSlots.ownerKey()) {
            throw new IllegalMonitorStateException("unlock by a thread that does not hold the lock: segment="
                    + segment.name() + " ownerPid=" + (v >>> 32) + " ownerThread=" + ((v & THREAD) >>> 1)
                    + " currentPid=" + SELF_PID);
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
        return (segment.getLongVolatile(word) & OWNER) == ThreadSlots.ownerKey();
    }

    /** @return whether some thread of some process holds the lock */
    public boolean isLocked() {
        return isHeld(segment.getLongVolatile(word));
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
        long v = segment.getLongVolatile(word);
        return isHeld(v) && (v & DIED) != 0;
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
    }

    /**
     * Takes the lock if it is free, after the hand-off pause when another process released it last.
     *
     * @param damp whether to pause (not for tryLock())
     */
    private boolean lockFree(long key, boolean damp) {
        long v = segment.getLongVolatile(word);
        if (isHeld(v)) {
            return false;
        }
        if (damp && v != FREE_SELF && v != 0) {
            long start = System.nanoTime();
            do {
                Thread.onSpinWait(); // touches no shared line: the other process keeps the lock's line meanwhile
            } while (System.nanoTime() - start < HANDOFF_NANOS);
            v = segment.getLongVolatile(word);
            if (isHeld(v)) {
                return false;
            }
        }
        if (segment.compareAndSetLong(word, v, key)) {
            acquired();
            return true;
        }
        return false;
    }

    private boolean reenter(long key) {
        if (reentrant && (segment.getLongVolatile(word) & OWNER) == key) {
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
        long old = segment.getAndSetLong(word, FREE_SELF);
        if ((old & WAITERS) != 0) {
            queue.wakeOne();
        }
    }

    /** CASes a free word to {@code newWord}. */
    private boolean takeFree(long newWord) {
        long v = segment.getLongVolatile(word);
        if (!isHeld(v) && segment.compareAndSetLong(word, v, newWord)) {
            acquired();
            return true;
        }
        return false;
    }

    private boolean slowLock(long key, long deadline, boolean interruptible) throws InterruptedException {
        // spin with exponential back-off: a waiter that keeps off the lock's cache line lets the holder run on at
        // full speed, which is what makes a contended lock fast (and unfair: see the class comment)
        long backoff = MIN_BACKOFF_NANOS;
        long spinStart = System.nanoTime();
        long t = spinStart;
        do {
            if (takeFree(key)) {
                return true;
            }
            long until = t + backoff;
            do {
                Thread.onSpinWait(); // the back-off is timed: what one onSpinWait() costs differs ~50x between CPUs
                t = System.nanoTime();
            } while (t - until < 0);
            backoff = Math.min(backoff << 1, MAX_BACKOFF_NANOS);
        } while (t - spinStart < SPIN_NANOS);
        for (int i = 0; i < YIELDS; i++) {
            Thread.yield();
            if (takeFree(key)) {
                return true;
            }
        }
        while (true) {
            long v = segment.getLongVolatile(word);
            if (!isHeld(v)) {
                if (segment.compareAndSetLong(word, v, key | WAITERS)) {
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
            if (!isHeld(now) || (now & WAITERS) == 0) {
                queue.leave(slot); // a wake meant for us is moot: we try again at once
                continue;
            }
            WaitQueue.Wake w = queue.park(slot, deadline, interruptible, POLL);
            boolean woken = queue.leave(slot);
            if (w == WaitQueue.Wake.INTERRUPTED || w == WaitQueue.Wake.TIMED_OUT) {
                if (takeFree(key | WAITERS)) {
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
        if (!isHeld(v) || pid == SELF_PID || ProcessIdentity.isAlive(pid, 0)) {
            return false;
        }
        if (segment.compareAndSetLong(word, v, newWord | DIED)) {
            acquired();
            return true;
        }
        return false;
    }
}
