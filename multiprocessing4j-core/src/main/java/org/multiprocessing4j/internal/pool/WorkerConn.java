package org.multiprocessing4j.internal.pool;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.internal.pool.protocol.PoolChannel;
import org.multiprocessing4j.internal.pool.protocol.RunMark;

/**
 * One worker process of a pool and its connection. Fields are guarded by the engine's lock, except
 * {@link #outstandingCount}, which its reader thread reads to decide whether to spin.
 *
 * <pre>
 * state     | channel | meaning
 * STARTING  | null    | process started (or starting); it has not said HELLO (its initializer may be running)
 * READY     | set     | takes tasks, up to the engine's depth and maxTasksPerChild
 * RETIRING  | set     | got its last task (maxTasksPerChild) or the pool shuts down; exits by itself
 * GONE      | any     | its process ended; its oldest task failed, the others were queued again
 * </pre>
 */
final class WorkerConn {
    final int slot;
    final long generation;
    final ChildProcess process;
    /** Which task the worker runs, readable after its death; {@code null} if it could not be made. */
    final RunMark mark;
    final ArrayDeque<TaskRecord> outstanding = new ArrayDeque<>();
    /** Held by whoever reads the channel: the reader thread, or a caller waiting for a result (see CallerReads.help). */
    final ReentrantLock readLock = new ReentrantLock();
    /** Callers currently reading the channel for their own result; the reader thread stands aside meanwhile. */
    final AtomicInteger helpers = new AtomicInteger();
    volatile int outstandingCount;
    /** The thread that reads the channel when no caller does; unparked when a caller stops helping. */
    volatile Thread reader;
    /** Whether the reader parks until the worker gets a task (see PoolListener); the engine then unparks it. */
    volatile boolean readerAsleep;
    volatile PoolChannel channel;
    int sent;
    /** The function this worker got a DEFINE for last (saves a look-up in the function's set per chunk). */
    FunctionDef lastDefined;
    boolean retiring;
    boolean killedByPool;
    TaskRecord killedFor;
    boolean gone;
    long tasksDone;
    long busyNanos;

    WorkerConn(int slot, long generation, ChildProcess process, RunMark mark) {
        this.slot = slot;
        this.generation = generation;
        this.process = process;
        this.mark = mark;
    }

    /**
     * Settles this worker's tasks once its process has ended; under the engine's lock. The task lost with it is the one
     * its RunMark names, if that is one of its unanswered tasks (without a mark: its oldest unanswered task, the one
     * it ran unless it had finished tasks whose replies had not left yet). No task is lost if the pool killed the
     * worker for a task it has settled already (a time-out or cancel): even one that had started meanwhile runs
     * again. Every other unsettled task goes back to the front of the queue, in its order: those that never started,
     * and those that had finished but whose replies died with the worker.
     *
     * @param queue the engine's queue
     * @return the task lost with the worker, now settled, for the caller to fail; or {@code null}
     */
    TaskRecord settleAtExit(ArrayDeque<TaskRecord> queue) {
        TaskRecord running = null;
        if (killedFor == null) {
            if (mark == null) {
                running = outstanding.peekFirst();
            } else {
                long id = mark.get();
                for (TaskRecord t : outstanding) {
                    if (t.id == id) {
                        running = t;
                        break;
                    }
                }
            }
        }
        TaskRecord lost = null;
        if (running != null && !running.settled) {
            running.settled = true;
            lost = running;
        }
        for (java.util.Iterator<TaskRecord> it = outstanding.descendingIterator(); it.hasNext(); ) {
            TaskRecord t = it.next();
            t.worker = null;
            if (!t.settled) {
                queue.addFirst(t);
            }
        }
        outstanding.clear();
        outstandingCount = 0;
        if (mark != null) {
            mark.delete();
        }
        return lost;
    }

    /**
     * Kills the worker because of one of its tasks (a time-out or {@code cancel(true)}): it takes no more tasks, and
     * at its exit its other tasks, even one that had started meanwhile, are queued again instead of failing.
     */
    void killFor(TaskRecord t) {
        killedFor = t;
        retiring = true;
        kill();
    }

    /** Closes the connection and wakes its reader thread, wherever it waits, so that it ends. */
    void closeChannel() {
        PoolChannel c = channel;
        if (c != null) {
            c.close();
        }
        Thread r = reader;
        if (r != null) {
            java.util.concurrent.locks.LockSupport.unpark(r);
        }
    }

    void kill() {
        killedByPool = true;
        try {
            if (process.pid() > 0) {
                process.kill();
            }
        } catch (IllegalStateException e) {
            // not started or already closed: nothing to kill
        }
    }

    @Override
    public String toString() {
        return "worker[slot=" + slot + " pid=" + process.pid() + "]";
    }
}
