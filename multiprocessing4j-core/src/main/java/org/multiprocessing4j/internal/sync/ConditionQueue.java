package org.multiprocessing4j.internal.sync;

import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.wait.Deadline;
import org.multiprocessing4j.internal.wait.WaitQueue;

/**
 * The wait set of a condition variable bound to a {@link Mutex}.
 *
 * <pre>
 * Overview: memory layout at {@code offset} (BYTES): a WaitQueue.
 * await:  (holding the mutex) announce in the queue, release the mutex fully, park until WOKEN, the deadline or an
 *         interrupt, withdraw, lock again (uninterruptibly) and restore the hold count. Announcing before
 *         releasing means a signal given by a thread that then takes the mutex cannot miss this waiter.
 * signal: (holding the mutex) wake one announced waiter that was not woken yet; signalAll: all of them.
 * More than WaitQueue.CAPACITY waiters at once: the extra ones wake spuriously every few milliseconds.
 * A waiter that was woken and also timed out or was interrupted counts as signalled (it returns normally, with
 * its interrupt status set), so no signal is lost. A waiter whose process dies is skipped by signal once the
 * wake finds its doorbell gone; a signal that reaches a waiter whose process dies before it returns is lost with it.
 * </pre>
 */
public final class ConditionQueue {
    /** Bytes a condition takes in a segment. */
    public static final int BYTES = WaitQueue.BYTES;
    private static final long POLL = TimeUnit.MILLISECONDS.toNanos(200);

    private final WaitQueue queue;

    /**
     * @param segment the segment
     * @param offset the start (8-byte aligned)
     */
    public ConditionQueue(Segment segment, int offset) {
        this.queue = new WaitQueue(segment, offset);
    }

    /**
     * Waits for a signal.
     *
     * @param mutex the mutex the caller holds
     * @param deadline {@link System#nanoTime()} deadline or {@link Long#MAX_VALUE}
     * @param interruptible whether an interrupt ends the wait
     * @return whether signalled (false: the deadline passed)
     * @throws InterruptedException if interruptible and interrupted before a signal (the mutex is held again)
     * @throws IllegalMonitorStateException if the caller does not hold the mutex
     */
    public boolean await(Mutex mutex, long deadline, boolean interruptible) throws InterruptedException {
        if (!mutex.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("await without holding the condition's lock");
        }
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException();
        }
        int slot = queue.enter();
        if (slot < 0) {
            // the wait list is full: wait briefly without a slot and return as a spurious wake-up (the contract
            // allows them: callers loop on their state); keeping the lock while retrying would block the signaller
            int holds = mutex.fullyRelease();
            try {
                queue.park(-1, deadline, interruptible, POLL);
            } finally {
                mutex.reacquire(holds);
            }
            if (interruptible && Thread.interrupted()) {
                throw new InterruptedException();
            }
            return Deadline.remaining(deadline, System.nanoTime()) > 0;
        }
        int holds = mutex.fullyRelease();
        WaitQueue.Wake w;
        boolean woken;
        try {
            do {
                w = queue.park(slot, deadline, interruptible, POLL);
            } while (w == WaitQueue.Wake.POLL);
            woken = queue.leave(slot);
        } finally {
            mutex.reacquire(holds);
        }
        if (woken || w == WaitQueue.Wake.WOKEN) {
            if (w == WaitQueue.Wake.INTERRUPTED) {
                Thread.currentThread().interrupt();
            }
            return true;
        }
        if (w == WaitQueue.Wake.INTERRUPTED) {
            throw new InterruptedException();
        }
        return false;
    }

    /** Wakes one waiter. */
    public void signal() {
        queue.wakeOne();
    }

    /** Wakes every waiter. */
    public void signalAll() {
        queue.wakeAll();
    }
}
