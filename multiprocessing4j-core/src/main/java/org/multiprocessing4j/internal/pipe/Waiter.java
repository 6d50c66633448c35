package org.multiprocessing4j.internal.pipe;

import java.io.InterruptedIOException;
import java.util.concurrent.locks.LockSupport;

/**
 * One wait of one thread on shared memory: spin, then yield, then park with a sleep that grows with the wait
 * (capped at {@link #MAX_PARK_NANOS}), so a busy peer is seen within microseconds and an idle waiter wakes at most
 * once a millisecond. It also says when a liveness check of the peer is due.
 *
 * <pre>
 * Overview.
 *   waited < 50 us      Thread.onSpinWait()
 *   waited < 200 us     Thread.yield()
 *   later               parkNanos(clamp(waited / 8, 20 us, 1 ms))
 * Interrupts: an interruptible wait throws InterruptedIOException (the status stays set); a deferred one clears
 * the status while it waits (parkNanos would return at once otherwise) and {@link #finish()} sets it again.
 * This is the place for a cross-process doorbell (a blocking wake-up of ~100 us) when the memory layer has one.
 * </pre>
 */
final class Waiter {
    static final long MAX_PARK_NANOS = 1_000_000;
    private static final long SPIN_NANOS = 50_000;
    private static final long YIELD_NANOS = 200_000;
    private static final long CHECK_NANOS = 20_000_000;

    private long start = System.nanoTime();
    private long lastCheck = start;
    private boolean deferred;

    /**
     * Waits a little.
     *
     * @param interruptible whether an interrupt ends the wait
     * @param deadline {@link System#nanoTime()} deadline (the park never sleeps past it), or {@code Long.MAX_VALUE}
     * @return true if a liveness check of the peer is due (every 20 ms of waiting)
     * @throws InterruptedIOException if interruptible and the thread is interrupted
     */
    boolean idle(boolean interruptible, long deadline) throws InterruptedIOException {
        if (Thread.interrupted()) {
            if (interruptible) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting on a pipe; the pipe stays open and the "
                        + "thread's interrupt status stays set");
            }
            deferred = true;
        }
        long now = System.nanoTime();
        long waited = now - start;
        if (waited < SPIN_NANOS) {
            Thread.onSpinWait();
        } else if (waited < YIELD_NANOS) {
            Thread.yield();
        } else {
            long park = Math.min(MAX_PARK_NANOS, Math.max(20_000, waited / 8));
            if (deadline != Long.MAX_VALUE) {
                park = Math.min(park, Math.max(1, deadline - now));
            }
            LockSupport.parkNanos(this, park);
        }
        if (now - lastCheck > CHECK_NANOS) {
            lastCheck = now;
            return true;
        }
        return false;
    }

    /** The peer made progress: the next wait starts with spinning again. */
    void progress() {
        start = System.nanoTime();
        lastCheck = start;
    }

    /** Sets the interrupt status again if an interrupt was deferred. */
    void finish() {
        if (deferred) {
            deferred = false;
            Thread.currentThread().interrupt();
        }
    }
}
