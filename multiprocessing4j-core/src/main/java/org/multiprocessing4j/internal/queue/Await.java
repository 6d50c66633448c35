package org.multiprocessing4j.internal.queue;

import java.util.function.BooleanSupplier;
import org.multiprocessing4j.internal.wait.Deadline;
import org.multiprocessing4j.internal.wait.WaitQueue;

/**
 * One wait of a queue's producer or consumer for a condition in shared memory, outside the queue's locks: spin a
 * little, then announce in a {@link WaitQueue} and park until woken through this process's doorbell.
 *
 * <pre>
 * Overview.
 *  1. Spin for SPIN_NANOS (50 us), re-reading the condition: a busy peer is microseconds away, and a parked waiter
 *     costs its waker a doorbell message.
 *  2. Announce in the queue, re-check the condition (WaitQueue's protocol: no lost wake-up), park until woken, the
 *     deadline, an interrupt, or POLL (50 ms). The poll is a safety net only: a waiter re-reads the condition after
 *     it, so even a wake-up lost to a waker's death costs at most POLL.
 *  3. A waiter woken that leaves without the condition (time-out, interrupt) passes its wake-up on (wakeOne).
 * The caller then takes its lock and re-checks: another thread may have barged in; it then waits again.
 * Idle cost: one wake-up per POLL, some microseconds each: ~0 CPU.
 * </pre>
 */
final class Await {
    private static final long SPIN_NANOS = Long.getLong("mp4j.queue.spinNanos", 50_000L);
    private static final long POLL = 50_000_000L;

    private Await() {
    }

    /**
     * Waits until {@code ready} holds or the deadline passes.
     *
     * @param queue the wait queue that those who make {@code ready} true wake
     * @param ready the condition (reads shared memory only)
     * @param deadline {@link System#nanoTime()} deadline or {@link Deadline#NONE}
     * @return whether the condition held when the wait ended (false: the deadline passed)
     * @throws InterruptedException if interrupted (the status is cleared)
     */
    static boolean until(WaitQueue queue, BooleanSupplier ready, long deadline) throws InterruptedException {
        long start = System.nanoTime();
        while (System.nanoTime() - start < SPIN_NANOS) {
            if (ready.getAsBoolean()) {
                return true;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (Deadline.remaining(deadline, System.nanoTime()) <= 0) {
                return false;
            }
            Thread.onSpinWait();
        }
        for (;;) {
            if (Deadline.remaining(deadline, System.nanoTime()) <= 0) {
                return ready.getAsBoolean();
            }
            int slot = queue.enter();
            if (ready.getAsBoolean()) {
                queue.leave(slot);
                return true;
            }
            WaitQueue.Wake w = queue.park(slot, deadline, true, POLL);
            boolean woken = queue.leave(slot);
            if (ready.getAsBoolean()) {
                return true;
            }
            if (w == WaitQueue.Wake.INTERRUPTED) {
                if (woken) {
                    queue.wakeOne();
                }
                throw new InterruptedException();
            }
            if (w == WaitQueue.Wake.TIMED_OUT) {
                if (woken) {
                    queue.wakeOne();
                }
                return false;
            }
        }
    }
}
