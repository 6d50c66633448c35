package org.multiprocessing4j.internal.pool;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.multiprocessing4j.internal.pool.protocol.PoolMessage;

/**
 * Which worker gets the next queued task, and how many tasks a worker may have unanswered; used under the
 * engine's lock.
 *
 * <pre>
 * A task goes to the ready worker with the fewest unanswered tasks, while that number is below the
 * depth: 1 for tasks that take a millisecond or more (any idle worker can take the next one), 64 for short
 * ones (so a worker never waits for a round trip between them), 2 before anything was measured. The figure
 * is the recent average time of the map call's chunks (each map measures its own), or of callables. A task sent
 * to a worker that has two or more unanswered tasks is not flushed at once: that worker's reader flushes it
 * after the next reply, so a burst of submissions costs one system call per reply rather than per task.
 * </pre>
 */
final class Dispatcher {
    private static final long SLOW_TASK_NANOS = 1_000_000;
    private static final int FAST_DEPTH = 64;
    /** The depth before anything is measured. */
    static final int UNMEASURED_DEPTH = 2;

    private final int maxTasks;
    /** How long callables take, on average lately (maps keep their own figure, in their FunctionDef). */
    private long callAverageNanos = -1;
    private int callDepth = UNMEASURED_DEPTH;

    Dispatcher(int maxTasks) {
        this.maxTasks = maxTasks;
    }

    /**
     * Sends queued tasks to workers that have room; under the lock. The workers to flush are added to {@code dirty}
     * (one list type for every caller, so that the JIT's compiled code is not thrown away when a map's shape
     * changes: returning an immutable empty list here and an ArrayList elsewhere did that at every change).
     */
    void dispatch(ArrayDeque<TaskRecord> queue, WorkerConn[] slots, Consumer<WorkerConn> startHead,
                  List<WorkerConn> dirty) {
        while (!queue.isEmpty()) {
            TaskRecord next = queue.peekFirst();
            int depth = next.function != null ? next.function.depth : callDepth;
            WorkerConn best = null;
            for (WorkerConn w : slots) {
                if (w != null && w.channel != null && !w.retiring && !w.gone && w.outstanding.size() < depth
                        && (best == null || w.outstanding.size() < best.outstanding.size())) {
                    best = w;
                }
            }
            if (best == null) {
                break;
            }
            TaskRecord t = queue.pollFirst();
            if (t.settled) {
                continue;
            }
            if (t.function != null && t.function.definedOn.add(best)) {
                best.channel.send(new PoolMessage.Define(t.function.id, t.function.bytes));
            }
            best.channel.send(t.message());
            t.worker = best;
            best.outstanding.addLast(t);
            best.outstandingCount = best.outstanding.size();
            if (best.readerAsleep) {
                LockSupport.unpark(best.reader);
            }
            best.sent++;
            if (maxTasks > 0 && best.sent >= maxTasks) {
                best.retiring = true;
            }
            if (best.outstanding.size() == 1) {
                startHead.accept(best);
            }
            if (best.outstanding.size() <= 2 && !dirty.contains(best)) {
                dirty.add(best);
            }
        }
    }

    /** Records how long a task took in its worker; under the engine's lock. */
    void measured(TaskRecord t, long busyNanos) {
        if (t.function != null) {
            t.function.averageNanos = average(t.function.averageNanos, busyNanos);
            t.function.depth = depthFor(t.function.averageNanos);
        } else {
            callAverageNanos = average(callAverageNanos, busyNanos);
            callDepth = depthFor(callAverageNanos);
        }
    }

    /**
     * The depth for an average task time; worked out here, when a task is measured, rather than in dispatch: a
     * branch that dispatch's compiled code had never seen taken (a new map's first chunks, unmeasured; short chunks
     * after long ones) threw that code away and had C2 compile it again, in the middle of the map.
     */
    static int depthFor(long averageNanos) {
        return averageNanos < 0 ? UNMEASURED_DEPTH : averageNanos < SLOW_TASK_NANOS ? FAST_DEPTH : 1;
    }

    private static long average(long average, long sample) {
        return average < 0 ? sample : (average * 7 + sample) / 8;
    }

    static void flush(List<WorkerConn> dirty) {
        for (WorkerConn w : dirty) {
            try {
                w.channel.flush();
            } catch (IOException e) {
                // the worker is gone: its reader and its exit settle its tasks
            }
        }
    }

}
