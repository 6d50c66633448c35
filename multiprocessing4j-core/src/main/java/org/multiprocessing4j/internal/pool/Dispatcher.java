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
 * Consecutive chunks of one function that go to the same worker in one dispatch travel in one CHUNKS frame (up to
 * MAX_RUN): still a task each, answered and cancellable each, but one frame for the worker to read and decode.
 * </pre>
 */
final class Dispatcher {
    private static final long SLOW_TASK_NANOS = 1_000_000;
    private static final int FAST_DEPTH = 64;
    /** The depth before anything is measured. */
    static final int UNMEASURED_DEPTH = 2;

    /** At most this many chunks in one CHUNKS frame. */
    static final int MAX_RUN = 64;

    private final int maxTasks;
    /** The chunks of the open run (see closeRun): same worker, same function, sent as one frame. */
    private final long[] runIds = new long[MAX_RUN];
    private final byte[][] runItems = new byte[MAX_RUN][];
    private int runLength;
    private WorkerConn runWorker;
    private TaskRecord runFirst;
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
            if (t.function == null) {
                closeRun();
                best.channel.send(t.message());
            } else {
                if (runWorker != best || runFirst.function != t.function || runFirst.spread != t.spread
                        || runLength == MAX_RUN) {
                    closeRun();
                }
                if (best.lastDefined != t.function) {
                    if (t.function.definedOn.add(best)) {
                        best.channel.send(new PoolMessage.Define(t.function.id, t.function.bytes));
                    }
                    best.lastDefined = t.function;
                }
                if (runLength == 0) {
                    runWorker = best;
                    runFirst = t;
                }
                runIds[runLength] = t.id;
                runItems[runLength++] = t.items;
            }
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
        closeRun();
    }

    /**
     * Sends the open run of chunks: one CHUNK, or one CHUNKS for several. Called before anything else is sent to
     * the run's worker (the worker answers in the order it reads, and the engine expects that order) and at the end
     * of every dispatch.
     */
    private void closeRun() {
        if (runLength == 0) {
            return;
        }
        if (runLength == 1) {
            runWorker.channel.send(runFirst.message());
        } else {
            runWorker.channel.send(new PoolMessage.Chunks(runFirst.function.id, runFirst.spread, runLength, runIds,
                    runItems));
        }
        for (int i = 0; i < runLength; i++) {
            runItems[i] = null;
        }
        runLength = 0;
        runWorker = null;
        runFirst = null;
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
