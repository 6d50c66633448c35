package org.multiprocessing4j.internal.queue;

import static org.multiprocessing4j.internal.queue.QueueLayout.count;
import static org.multiprocessing4j.internal.queue.QueueLayout.itemsBetween;

import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.wait.Deadline;
import org.multiprocessing4j.internal.wait.WaitQueue;

/**
 * The unfinished tasks of a {@code JoinableProcessQueue}: items put (the count in the queue's tail word) minus
 * {@code taskDone()} calls (a count beside it), both modulo 2^24.
 *
 * <pre>
 * Overview.
 *  taskDone: CAS doneCount -> doneCount + 1 while it is behind the put count (else: one call too many); the call
 *            that makes them equal wakes every join() waiter.
 *  join:     waits (Await) until doneCount equals the put count; a put meanwhile makes it wait on.
 *  A process that dies between take() and taskDone() leaves its task unfinished for ever, as in Python.
 * </pre>
 */
final class TaskCount {
    private final Segment seg;
    private final WaitQueue allDone;
    private final Await wait;

    TaskCount(Segment seg) {
        this.seg = seg;
        this.allDone = new WaitQueue(seg, QueueLayout.ALL_DONE);
        this.wait = new Await(allDone);
    }

    /**
     * Counts one task done.
     *
     * @throws IllegalStateException if as many tasks are done as items were put
     */
    void taskDone() {
        for (;;) {
            long done = seg.getLongVolatile(QueueLayout.DONE_COUNT);
            long put = count(seg.getLongVolatile(QueueLayout.TAIL));
            if (itemsBetween(done, put) == 0) {
                throw new IllegalStateException("taskDone() called more times than items were put: done=" + done
                        + " put=" + put + " (mod 2^24) segment=" + seg.name());
            }
            if (seg.compareAndSetLong(QueueLayout.DONE_COUNT, done, (done + 1) & QueueLayout.COUNT_MASK)) {
                if (itemsBetween(done + 1, count(seg.getLongVolatile(QueueLayout.TAIL))) == 0) {
                    allDone.wakeAll();
                }
                return;
            }
        }
    }

    /**
     * Waits until every item put has been marked done.
     *
     * @param deadline {@link System#nanoTime()} deadline or {@link Deadline#NONE}
     * @return whether every item was done by the deadline
     * @throws InterruptedException if interrupted while waiting
     */
    boolean join(long deadline) throws InterruptedException {
        return wait.until(() -> itemsBetween(seg.getLongVolatile(QueueLayout.DONE_COUNT),
                count(seg.getLongVolatile(QueueLayout.TAIL))) == 0, deadline);
    }
}
