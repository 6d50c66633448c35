package org.multiprocessing4j.internal.pipe;

import java.io.InterruptedIOException;
import java.util.function.BooleanSupplier;
import org.multiprocessing4j.internal.wait.WaitQueue;

/**
 * One wait of one thread on shared memory: spin, then yield, then block on a {@link WaitQueue} until a waker rings
 * this process's doorbell (tens of microseconds; no CPU while idle). It also says when a liveness check of the peer
 * is due.
 *
 * <pre>
 * Overview.
 *   first call          Thread.yield() if this thread's last park ended woken (WaitQueue.yieldAfterWakeUp)
 *   waited < 200 us     Thread.onSpinWait()
 *   waited < 300 us     Thread.yield()
 *   later               announce in the queue, re-check the condition, park until woken or the check interval
 * A waker changes the condition with a volatile store and then wakes the queue (WaitQueue's protocol: no lost
 * wake-up). Liveness checks are due every 20 ms for the first 200 ms of waiting, then every 250 ms (a check
 * reads /proc, some hundred microseconds).
 * Interrupts: an interruptible wait throws InterruptedIOException (the status stays set); a deferred one clears
 * the status while it waits (a park would return at once otherwise) and {@link #finish()} sets it again.
 * The spin is long because the two sides of a busy pipe are microseconds apart, and a side that went to
 * sleep costs the other a doorbell wake-up (tens of microseconds, more on a loaded machine): with a 50 us spin, 1-2%
 * of the round trips of pipe_pingpong took ~100 us on a loaded 2-core machine; with 200 us, p99 stayed under 5 us.
 * </pre>
 */
final class Waiter {
    private static final long SPIN_NANOS = Long.getLong("mp4j.pipe.spinNanos", 200_000L);
    private static final long YIELD_NANOS = Long.getLong("mp4j.pipe.yieldNanos", 300_000L);
    private static final long CHECK_NANOS = 20_000_000;
    private static final long SLOW_CHECK_AFTER_NANOS = 200_000_000;
    private static final long SLOW_CHECK_NANOS = 250_000_000;

    private final WaitQueue queue;
    private final BooleanSupplier ready;
    private final long created = System.nanoTime();
    private long start = created;
    private long lastCheck = start;
    private boolean deferred;
    /** Whether this wait has been idle once (its first idle call may yield: {@link WaitQueue#yieldAfterWakeUp}). */
    private boolean begun;

    /**
     * A wait that blocks on a queue.
     *
     * @param queue the queue its wakers wake
     * @param ready the condition, re-checked after announcing in the queue
     */
    Waiter(WaitQueue queue, BooleanSupplier ready) {
        this.queue = java.util.Objects.requireNonNull(queue, "queue");
        this.ready = java.util.Objects.requireNonNull(ready, "ready");
    }

    /**
     * Waits a little.
     *
     * @param interruptible whether an interrupt ends the wait
     * @param deadline {@link System#nanoTime()} deadline (the wait never sleeps past it), or {@code Long.MAX_VALUE}
     * @return true if a liveness check of the peer is due
     * @throws InterruptedIOException if interruptible and the thread is interrupted
     */
    boolean idle(boolean interruptible, long deadline) throws InterruptedIOException {
        checkInterrupt(interruptible);
        long now = System.nanoTime();
        long waited = now - start;
        if (!begun) {
            begun = true;
            WaitQueue.yieldAfterWakeUp();
        } else if (waited < SPIN_NANOS) {
            Thread.onSpinWait();
        } else if (waited < YIELD_NANOS) {
            Thread.yield();
        } else {
            long sinceCheck = now - lastCheck;
            long interval = now - created < SLOW_CHECK_AFTER_NANOS ? CHECK_NANOS : SLOW_CHECK_NANOS;
            block(interruptible, deadline, Math.max(1, interval - sinceCheck));
            checkInterrupt(interruptible);
        }
        now = System.nanoTime();
        if (now - lastCheck > (now - created < SLOW_CHECK_AFTER_NANOS ? CHECK_NANOS : SLOW_CHECK_NANOS)) {
            lastCheck = now;
            return true;
        }
        return false;
    }

    private void block(boolean interruptible, long deadline, long pollNanos) {
        int slot = queue.enter();
        try {
            if (ready.getAsBoolean()) {
                return;
            }
            if (queue.park(slot, deadline, interruptible, pollNanos) == WaitQueue.Wake.INTERRUPTED) {
                Thread.currentThread().interrupt();
            }
        } finally {
            queue.leave(slot);
        }
    }

    private void checkInterrupt(boolean interruptible) throws InterruptedIOException {
        if (Thread.interrupted()) {
            if (interruptible) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting on a pipe; the pipe stays open and the "
                        + "thread's interrupt status stays set");
            }
            deferred = true;
        }
    }

    /** The peer made progress: the next wait starts with spinning again. */
    void progress() {
        start = System.nanoTime();
    }

    /** Sets the interrupt status again if an interrupt was deferred. */
    void finish() {
        if (deferred) {
            deferred = false;
            Thread.currentThread().interrupt();
        }
    }
}
