package org.multiprocessing4j.internal.sync;

import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.wait.WaitQueue;

/**
 * A counting semaphore in shared memory, optionally bounded by its start value.
 *
 * <pre>
 * Overview: memory layout at {@code offset} (BYTES)
 *   +0   int   permits available
 *   +4   int   bound: the most permits there may be, or -1 for none
 *   +8   WaitQueue
 * acquire: CAS permits down while enough; else spin briefly; else announce, re-check, park, retry.
 * release: add (bounded: CAS, refusing to pass the bound), then wake as many waiters as permits were added.
 * A waiter that got permits after a wake-up and sees permits left wakes the next (so a release of n reaches n);
 * one woken that leaves empty-handed (time-out, interrupt) passes its wake on.
 * Permits have no owner: a process that dies keeps the permits it acquired (as in Python and POSIX); waiters
 * announced by a dead process are dropped from the queue when a wake finds them gone.
 * </pre>
 */
public final class CountingSemaphore {
    /** Bytes a semaphore takes in a segment. */
    public static final int BYTES = 8 + WaitQueue.BYTES;
    private static final int SPINS = 100;
    private static final long POLL = TimeUnit.MILLISECONDS.toNanos(200);

    private final Segment segment;
    private final int permits;
    private final int bound;
    private final WaitQueue queue;

    /**
     * @param segment the segment
     * @param offset the start of the semaphore (8-byte aligned)
     */
    public CountingSemaphore(Segment segment, int offset) {
        this.segment = segment;
        this.permits = offset;
        this.bound = offset + 4;
        this.queue = new WaitQueue(segment, offset + 8, false);
    }

    /** Sets the start value and bound of a new semaphore. */
    public void initialize(int initial, boolean bounded) {
        segment.setIntVolatile(bound, bounded ? initial : -1);
        segment.setIntVolatile(permits, initial);
    }

    /** @return the permits available now */
    public int available() {
        return segment.getIntVolatile(permits);
    }

    /** @return whether {@code n} permits were taken without waiting */
    public boolean tryAcquire(int n) {
        while (true) {
            int p = segment.getIntVolatile(permits);
            if (p < n) {
                return false;
            }
            if (segment.compareAndSetInt(permits, p, p - n)) {
                return true;
            }
        }
    }

    /**
     * Takes {@code n} permits, waiting until the deadline.
     *
     * @param n permits
     * @param deadline {@link System#nanoTime()} deadline or {@link Long#MAX_VALUE}
     * @param interruptible whether an interrupt ends the wait
     * @return whether the permits were taken
     * @throws InterruptedException if interruptible and interrupted (on entry too)
     */
    public boolean acquire(int n, long deadline, boolean interruptible) throws InterruptedException {
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (tryAcquire(n)) {
            return true;
        }
        for (int i = 0; i < SPINS; i++) {
            Thread.onSpinWait();
            if (tryAcquire(n)) {
                return true;
            }
        }
        boolean wokenBefore = false;
        while (true) {
            int slot = queue.enter();
            if (tryAcquire(n)) {
                gotAfterWait(queue.leave(slot) || wokenBefore);
                return true;
            }
            WaitQueue.Wake w = queue.park(slot, deadline, interruptible, POLL);
            boolean woken = queue.leave(slot);
            if (tryAcquire(n)) {
                gotAfterWait(woken || wokenBefore);
                if (w == WaitQueue.Wake.INTERRUPTED) {
                    Thread.currentThread().interrupt();
                }
                return true;
            }
            if (w == WaitQueue.Wake.TIMED_OUT || w == WaitQueue.Wake.INTERRUPTED) {
                if (woken && available() > 0) {
                    queue.wakeOne();
                }
                if (w == WaitQueue.Wake.INTERRUPTED) {
                    throw new InterruptedException();
                }
                return false;
            }
            wokenBefore = woken;
        }
    }

    private void gotAfterWait(boolean woken) {
        if (woken && available() > 0) {
            queue.wakeOne();
        }
    }

    /**
     * Adds {@code n} permits.
     *
     * @throws IllegalStateException if bounded and the permits would pass the bound
     */
    public void release(int n) {
        int b = segment.getIntVolatile(bound);
        if (b >= 0) {
            while (true) {
                int p = segment.getIntVolatile(permits);
                if ((long) p + n > b) {
                    throw new IllegalStateException("semaphore released too many times: permits=" + p
                            + " releasing=" + n + " bound=" + b + " segment=" + segment.name());
                }
                if (segment.compareAndSetInt(permits, p, p + n)) {
                    break;
                }
            }
        } else {
            int p = segment.getAndAddInt(permits, n);
            if ((long) p + n > Integer.MAX_VALUE) {
                segment.getAndAddInt(permits, -n);
                throw new Error("maximum permit count exceeded");
            }
        }
        for (int i = 0; i < n && queue.wakeOne(); i++) {
            // one waiter per permit
        }
    }

    /** @return the permits taken: all that were available */
    public int drain() {
        while (true) {
            int p = segment.getIntVolatile(permits);
            if (p <= 0 || segment.compareAndSetInt(permits, p, 0)) {
                return Math.max(p, 0);
            }
        }
    }
}
