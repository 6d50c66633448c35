package org.multiprocessing4j.internal.pool;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.ProcessStartException;
import org.multiprocessing4j.function.SerializableRunnable;
import org.multiprocessing4j.internal.PrimitiveUse;
import org.multiprocessing4j.internal.launch.OwnJit;
import org.multiprocessing4j.internal.pool.protocol.PoolChannel;
import org.multiprocessing4j.internal.pool.protocol.PoolMessage;
import org.multiprocessing4j.pool.BrokenPoolException;
import org.multiprocessing4j.pool.WorkerStats;

/**
 * The scheduler of a process pool: the queue of tasks, the workers, and what happens when one dies, times out or
 * is cancelled. Thread-safe; one lock (this object) guards all state, and no I/O or user code runs under it.
 *
 * <pre>
 * Overview.
 * The engine holds the pool's state and runs the path every task takes: submit queues it, the Dispatcher sends it,
 * reply settles it and delivers its outcome. The other parts read and change the same state under the same lock:
 *   PoolLifecycle     the run state (a state table)
 *   PoolTermination   what shutdown, terminate and a broken pool do to the queue and the workers
 *   WorkerSupervisor  starting workers, what a worker's exit settles, its replacement
 *   Cancellations     the time-out and the cancel of one task
 *   FunctionTable     the functions of the map calls in progress, and which workers have them
 *   Dispatcher        which worker gets the next task, and how many it may have unanswered
 * </pre>
 */
public final class PoolEngine {
    private static final AtomicInteger POOL_NUMBERS = new AtomicInteger();

    private final String name;
    private final AtomicLong taskIds = new AtomicLong();
    final PoolListener listener;
    // the pool's state, guarded by this object's lock (the parts in the Overview share it)
    /** The tasks not sent to a worker yet, in order. */
    final ArrayDeque<TaskRecord> queue = new ArrayDeque<>();
    /** Each slot's current worker, or {@code null} between one's end and its replacement. */
    final WorkerConn[] slots;
    /** The workers made whose processes have not ended (some may not have started yet). */
    final Set<WorkerConn> live = new HashSet<>();
    final SlotFigures figures;
    final PoolLifecycle lifecycle = new PoolLifecycle();
    final FunctionTable functions = new FunctionTable(this);
    // the parts
    private final Dispatcher dispatcher;
    private final PoolTermination termination = new PoolTermination(this);
    private final Cancellations cancellations = new Cancellations(this);
    private final Consumer<WorkerConn> onHeadStarted = cancellations::startHead;
    private final WorkerSupervisor workers;
    /**
     * The replies after which this pool asks for its caller's JVM's JIT settings (OwnJit): a pool that runs a handful
     * of tasks gains nothing from them, and one that has just started is still waiting for its first results.
     */
    private final AtomicInteger repliesBeforeJit = new AtomicInteger(8);

    /**
     * Starts a pool and its workers; returns once every worker process has been started (not yet connected).
     *
     * @param processes the number of workers
     * @param context how to start them
     * @param initializer run in each worker before its first task, or {@code null}
     * @param maxTasks tasks after which a worker is replaced, or 0
     * @throws ProcessStartException if a worker cannot be started; nothing is left behind
     */
    public PoolEngine(int processes, Context context, SerializableRunnable initializer, int maxTasks) {
        PrimitiveUse.note(PrimitiveUse.POOL);
        this.name = "mp4j-pool-" + POOL_NUMBERS.incrementAndGet();
        this.dispatcher = new Dispatcher(maxTasks);
        this.slots = new WorkerConn[processes];
        this.figures = new SlotFigures(processes);
        WorkerFactory factory;
        try {
            byte[] token = PoolChannel.newToken();
            this.listener = new PoolListener(this, token, name);
            factory = new WorkerFactory(context, initializer, maxTasks, listener.path(), token);
        } catch (IOException e) {
            throw new ProcessStartException("cannot create the pool's socket: " + e + " (check that the temp dir "
                    + System.getProperty("java.io.tmpdir") + " is writable)", e);
        }
        this.workers = new WorkerSupervisor(this, termination, factory);
        workers.startFirst();
    }

    /** @return a fresh task id */
    long nextTaskId() {
        return taskIds.incrementAndGet();
    }

    /** Registers a function for the chunks of one map call. */
    FunctionDef define(byte[] bytes) {
        return functions.define(bytes);
    }

    /** Tells the workers that have it to forget a function. */
    void release(FunctionDef def) {
        functions.release(def);
    }

    /**
     * Queues tasks.
     *
     * @param tasks the tasks, in order
     * @throws RejectedExecutionException if the pool was shut down; a broken pool fails the tasks instead
     */
    void submit(List<TaskRecord> tasks) {
        List<WorkerConn> dirty = new ArrayList<>(2);
        BrokenPoolException failure;
        synchronized (this) {
            failure = lifecycle.broken();
            if (failure == null) {
                if (!lifecycle.running()) {
                    throw new RejectedExecutionException("the pool does not take tasks any more: state="
                            + lifecycle.describe() + " (it was shut down or terminated)");
                }
                for (TaskRecord t : tasks) {
                    queue.addLast(t);
                }
                dispatch(dirty);
            } else {
                for (TaskRecord t : tasks) {
                    t.settled = true;
                }
            }
        }
        flush(dirty);
        if (failure != null) {
            for (TaskRecord t : tasks) {
                t.outcome.failed(failure, -1);
            }
        }
    }

    /** Sends queued tasks to workers that have room; under the lock. Adds the workers to flush to {@code dirty}. */
    void dispatch(List<WorkerConn> dirty) {
        dispatcher.dispatch(queue, slots, onHeadStarted, dirty);
    }

    static void flush(List<WorkerConn> dirty) {
        Dispatcher.flush(dirty);
    }

    /**
     * Cancels a task whose future was just cancelled.
     *
     * @param t the task
     * @param interrupt whether a running task's worker is killed
     */
    void cancel(TaskRecord t, boolean interrupt) {
        cancellations.cancel(t, interrupt);
    }

    /** A worker said HELLO: binds its connection. @return the worker, or null if the connection is not wanted */
    WorkerConn bind(PoolMessage.Hello hello, PoolChannel channel) {
        List<WorkerConn> dirty = new ArrayList<>(2);
        WorkerConn w;
        synchronized (this) {
            if (hello.slot() < 0 || hello.slot() >= slots.length) {
                return null;
            }
            w = slots[hello.slot()];
            if (w == null || w.generation != hello.generation() || w.channel != null || w.gone
                    || !lifecycle.bindsWorkers()) {
                return null;
            }
            w.channel = channel;
            dispatch(dirty);
            termination.closeIfIdle();
        }
        flush(dirty);
        return w;
    }

    /**
     * A worker sent a message; a reply settles the worker's oldest task (anything else, or a reply to another
     * task, is a protocol error and the worker is killed). Workers with tasks to flush are added to {@code dirty}.
     */
    void reply(WorkerConn w, PoolMessage m, List<WorkerConn> dirty) {
        if (repliesBeforeJit.get() > 0 && repliesBeforeJit.decrementAndGet() == 0) {
            OwnJit.requestOnce();
        }
        if (m instanceof PoolMessage.Results) {
            replyAll(w, (PoolMessage.Results) m, dirty);
            return;
        }
        if (!(m instanceof PoolMessage.Reply)) {
            w.kill();
            return;
        }
        PoolMessage.Reply r = (PoolMessage.Reply) m;
        TaskRecord t;
        boolean deliver;
        boolean idleUntilFlushed;
        synchronized (this) {
            t = w.outstanding.peekFirst();
            if (t == null || t.id != r.taskId()) {
                w.kill();
                return;
            }
            deliver = settle(w, t, r.busyNanos(), !(r instanceof PoolMessage.Dropped));
            idleUntilFlushed = afterReplies(w, deliver, dirty);
        }
        if (idleUntilFlushed) {
            flushNow(w);
        }
        if (deliver) {
            t.deliver(r);
        }
    }

    /**
     * The values of several consecutive tasks of a worker (RESULTS): settled as that many replies would be, under
     * one pass through the lock and one dispatch, then delivered in order. A value for a task that is not the
     * worker's oldest unanswered one is a protocol error: the worker is killed (the tasks settled before it are
     * still delivered; its exit settles the rest).
     */
    private void replyAll(WorkerConn w, PoolMessage.Results r, List<WorkerConn> dirty) {
        int n = r.count();
        TaskRecord[] settled = new TaskRecord[n];
        int count = 0;
        boolean idleUntilFlushed;
        synchronized (this) {
            for (int i = 0; i < n; i++) {
                TaskRecord t = w.outstanding.peekFirst();
                if (t == null || t.id != r.taskIds()[i]) {
                    w.kill();
                    break;
                }
                if (settle(w, t, r.busyNanos()[i], true)) {
                    settled[i] = t;
                    count++;
                }
            }
            idleUntilFlushed = afterReplies(w, count > 0, dirty);
        }
        if (idleUntilFlushed) {
            flushNow(w);
        }
        for (int i = 0; i < n; i++) {
            if (settled[i] != null) {
                settled[i].outcome.succeeded(r.values()[i]);
            }
        }
    }

    /**
     * Settles {@code t}, the worker's oldest unanswered task, with its reply; under the lock.
     *
     * @param busyNanos how long the worker ran it
     * @param ran whether it ran (a DROPPED task did not: it counts in no figure)
     * @return whether it was not settled before (a time-out or cancel may have): its outcome is to be delivered
     */
    private boolean settle(WorkerConn w, TaskRecord t, long busyNanos, boolean ran) {
        w.outstanding.pollFirst();
        t.worker = null;
        if (ran) {
            w.tasksDone++;
            w.busyNanos += busyNanos;
            figures.done(w.slot, busyNanos);
            dispatcher.measured(t, busyNanos);
        }
        boolean deliver = !t.settled;
        t.settled = true;
        return deliver;
    }

    /**
     * After replies of {@code w} were settled: starts timing its next task and dispatches; under the lock.
     *
     * @param delivering whether a reply is about to be delivered
     * @return whether {@code w} waits idle for a task just dispatched to it, to be flushed before the delivery: a
     *     worker of long tasks (one at a time) would otherwise wait while a big chunk's results are decoded
     */
    private boolean afterReplies(WorkerConn w, boolean delivering, List<WorkerConn> dirty) {
        w.outstandingCount = w.outstanding.size();
        cancellations.startHead(w);
        dispatch(dirty);
        termination.closeIfIdle();
        return delivering && w.outstanding.size() <= 1 && dirty.remove(w);
    }

    private static void flushNow(WorkerConn w) {
        try {
            w.channel.flush();
        } catch (IOException e) {
            // the worker is gone: its reader and its exit settle its tasks
        }
    }

    /** A worker's connection ended; its process is expected to end too (else it is killed after a grace). */
    void disconnected(WorkerConn w) {
        workers.disconnected(w);
    }

    /** A worker's initializer threw: the pool is broken. */
    void initializerFailed(byte[] error) {
        termination.initializerFailed(error);
    }

    /** Stops taking tasks; the queued ones still run. */
    public void shutdown() {
        termination.shutdown();
    }

    /** Cancels every queued and running task and kills every worker. */
    public void terminate() {
        termination.terminate();
    }

    /** @return whether shutdown or terminate was called, or the pool broke */
    public synchronized boolean isShutdown() {
        return !lifecycle.running();
    }

    /** @return whether every worker has ended after a shutdown or terminate */
    public synchronized boolean isTerminated() {
        return lifecycle.terminated();
    }

    /** @return the failure that broke the pool, or {@code null} */
    public synchronized BrokenPoolException broken() {
        return lifecycle.broken();
    }

    /**
     * Waits for termination.
     *
     * @param nanos the longest wait; negative for no limit
     * @return whether the pool terminated
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitTermination(long nanos) throws InterruptedException {
        return lifecycle.await(nanos);
    }

    /** @return the number of worker slots */
    public int processes() {
        return slots.length;
    }

    /** @return per-slot figures */
    public synchronized List<WorkerStats> stats() {
        return figures.snapshot(slots);
    }

    /** @return the pids of the live workers */
    public synchronized List<Long> pids() {
        return workers.pids();
    }

    /** @return the class loader for values that come back (results, exceptions) */
    static ClassLoader loader() {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        return l != null ? l : ClassLoader.getSystemClassLoader();
    }

    @Override
    public String toString() {
        return name;
    }
}
