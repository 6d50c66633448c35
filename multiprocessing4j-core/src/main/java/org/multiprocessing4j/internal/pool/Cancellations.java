package org.multiprocessing4j.internal.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.internal.pool.protocol.PoolMessage;

/**
 * Time-outs and cancels: how one task of a pool is stopped before its worker answers it. The state it reads and
 * changes is the engine's, guarded by the engine's lock; a task's outcome is delivered without it.
 *
 * <pre>
 * Overview.
 * Time-out: measured from the moment a task becomes its worker's oldest unanswered one (it runs); past it, the
 *   task fails with TimeoutException and the worker is killed. cancel(true) of a running task kills it too;
 *   cancelling a task that has not started drops it (from the queue, or by a CANCEL to its worker).
 * A worker killed for a task takes no tasks from then on (WorkerConn.killFor); what its exit settles is
 *   WorkerSupervisor's.
 * </pre>
 */
final class Cancellations {
    private final PoolEngine engine;

    Cancellations(PoolEngine engine) {
        this.engine = engine;
    }

    /** The worker's oldest task starts running now: its time-out, if it has one, starts; under the lock. */
    void startHead(WorkerConn w) {
        TaskRecord head = w.outstanding.peekFirst();
        if (head != null && head.timeoutNanos > 0 && !head.settled) {
            PoolTimer.schedule(() -> timedOut(w, head), head.timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void timedOut(WorkerConn w, TaskRecord t) {
        synchronized (engine) {
            if (w.gone || t.settled || w.outstanding.peekFirst() != t) {
                return;
            }
            t.settled = true;
            w.killFor(t);
        }
        t.outcome.failed(new TimeoutException(t.description() + " ran past its time-out of "
                + Duration.ofNanos(t.timeoutNanos).toMillis() + " ms: its worker pid=" + w.process.pid()
                + " was killed and is being replaced"), -1);
    }

    /**
     * Cancels a task whose future was just cancelled.
     *
     * @param t the task
     * @param interrupt whether a running task's worker is killed
     */
    void cancel(TaskRecord t, boolean interrupt) {
        List<WorkerConn> dirty = new ArrayList<>(1);
        synchronized (engine) {
            if (t.settled) {
                return;
            }
            t.settled = true;
            WorkerConn w = t.worker;
            if (w == null) {
                engine.queue.remove(t);
            } else if (w.outstanding.peekFirst() == t) {
                if (interrupt) {
                    w.killFor(t);
                }
            } else if (!w.gone && w.channel != null) {
                w.channel.send(new PoolMessage.Cancel(t.id));
                dirty.add(w);
            }
        }
        Dispatcher.flush(dirty);
    }
}
