package org.multiprocessing4j.internal.queue;

import java.util.function.BooleanSupplier;
import org.multiprocessing4j.internal.wait.Deadline;
import org.multiprocessing4j.internal.wait.WaitQueue;

/**
 * The waits of one side (producers or consumers) of a queue in one process, for a condition in shared memory,
 * outside the queue's locks: spin, then yield for an adaptive while, then announce in a {@link WaitQueue} and park
 * until woken through this process's doorbell.
 *
 * <pre>
 * Overview.
 *  0. Yield once if this thread's last park ended woken (WaitQueue.yieldAfterWakeUp: its waker may share the core).
 *  1. Spin for SPIN_NANOS (100 us), re-reading the condition: a busy peer is microseconds away. Between reads,
 *     1, 2, 4 .. MAX_PAUSE (32) spin-wait hints without touching shared memory (~1 us at most): every read takes the
 *     line of the tail word from the producer, which must then take it back to publish; backing off lets it publish
 *     a few items per transfer.
 *  2. Yield until the budget (250 us .. 2 ms) has passed, re-reading it: on a loaded machine the peer may be
 *     descheduled for a while, and parking is dear both ways: the waker pays a doorbell message (a system call)
 *     per put to a parked consumer, the waiter a wake-up of a hundred microseconds or more. The budget doubles
 *     after a wait that ended before parking (a busy stream) and halves after one that parked (an idle queue), so
 *     an idle consumer soon parks at once and a busy one rarely does.
 *  3. Announce in the queue, re-check the condition (WaitQueue's protocol: no lost wake-up), park until woken, the
 *     deadline, an interrupt, or POLL (50 ms). The poll is a safety net only: a waiter re-reads the condition after
 *     it, so even a wake-up lost to a waker's death costs at most POLL.
 *  4. A waiter woken that leaves without the condition (time-out, interrupt) passes its wake-up on (wakeOne).
 * The caller then takes its lock and re-checks: another thread may have barged in; it then waits again.
 * Idle cost: one wake-up per POLL, some microseconds each: ~0 CPU.
 * </pre>
 */
final class Await {
    private static final long SPIN_NANOS = Long.getLong("mp4j.queue.spinNanos", 100_000L);
    private static final long MIN_BUDGET = Long.getLong("mp4j.queue.minWaitBeforeParkNanos", 250_000L);
    private static final long MAX_BUDGET = Long.getLong("mp4j.queue.maxWaitBeforeParkNanos", 2_000_000L);
    private static final long POLL = 50_000_000L;
    private static final int MAX_PAUSE = Integer.getInteger("mp4j.queue.maxPause", 32);

    private final WaitQueue queue;
    /** How long the next wait spins and yields before it parks; adapted without synchronization (a hint). */
    private long budget = MIN_BUDGET;

    /** @param queue the wait queue that those who make the conditions true wake */
    Await(WaitQueue queue) {
        this.queue = queue;
    }

    /**
     * Waits until {@code ready} holds or the deadline passes.
     *
     * @param ready the condition (reads shared memory only)
     * @param deadline {@link System#nanoTime()} deadline or {@link Deadline#NONE}
     * @return whether the condition held when the wait ended (false: the deadline passed)
     * @throws InterruptedException if interrupted (the status is cleared)
     */
    boolean until(BooleanSupplier ready, long deadline) throws InterruptedException {
        WaitQueue.yieldAfterWakeUp();
        long start = System.nanoTime();
        long limit = budget;
        int pause = 1;
        for (long waited = 0; waited < limit; waited = System.nanoTime() - start) {
            if (ready.getAsBoolean()) {
                budget = Math.min(MAX_BUDGET, limit * 2);
                return true;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (Deadline.remaining(deadline, start + waited) <= 0) {
                return false;
            }
            if (waited < SPIN_NANOS) {
                for (int i = 0; i < pause; i++) {
                    Thread.onSpinWait();
                }
                pause = Math.min(MAX_PAUSE, pause * 2);
            } else {
                Thread.yield();
            }
        }
        budget = Math.max(MIN_BUDGET, limit / 2);
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
