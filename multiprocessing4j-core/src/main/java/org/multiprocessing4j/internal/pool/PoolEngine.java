package org.multiprocessing4j.internal.pool;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.ProcessStartException;
import org.multiprocessing4j.function.SerializableRunnable;
import org.multiprocessing4j.internal.pool.protocol.PoolChannel;
import org.multiprocessing4j.internal.pool.protocol.PoolMessage;
import org.multiprocessing4j.internal.pool.protocol.RunMark;
import org.multiprocessing4j.pool.BrokenPoolException;
import org.multiprocessing4j.pool.WorkerStats;

/**
 * The scheduler of a process pool: the queue of tasks, the workers, and what happens when one dies, times out or
 * is cancelled. Thread-safe; one lock (this object) guards all state, and no I/O or user code runs under it.
 *
 * <pre>
 * Overview.
 * Lifecycle: see PoolLifecycle (the states) and PoolTermination (what shutdown, terminate and breaking do).
 * Dispatch: see Dispatcher. Time-outs and cancels: see Cancellations.
 * A worker's process ends (onExit): its oldest unanswered task is the one it was running and fails with
 *   WorkerLostException; its other tasks never started and are queued again, first. A worker the pool killed
 *   for a time-out or cancel (that task is settled already) takes no tasks from then on, and at its exit all its
 *   unsettled tasks are queued again, even one that started between the kill and the death (it runs twice). A worker that ends before saying HELLO, unless the pool
 *   killed it, breaks the pool (its initializer or its start is broken: replacing it would loop).
 * </pre>
 */
public final class PoolEngine {
    private static final AtomicInteger POOL_NUMBERS = new AtomicInteger();
    private static final long KILL_GRACE_MILLIS = 2_000;
    /** How long the exit of a worker that never said HELLO waits for its INIT_FAILED before it breaks the pool. */
    private static final long INIT_FAILED_GRACE_MILLIS = 500;

    private final String name;
    final PoolListener listener;
    private final WorkerFactory factory;
    private final Dispatcher dispatcher;
    /** The tasks not sent to a worker yet, in order. */
    final ArrayDeque<TaskRecord> queue = new ArrayDeque<>();
    private final WorkerConn[] slots;
    private final long[] generations;
    private final SlotFigures figures;
    final Set<WorkerConn> live = new HashSet<>();
    final FunctionTable functions = new FunctionTable(this);
    private final AtomicLong taskIds = new AtomicLong();
    final PoolLifecycle lifecycle = new PoolLifecycle();
    private final PoolTermination termination = new PoolTermination(this);
    private final Cancellations cancellations = new Cancellations(this);
    private final Consumer<WorkerConn> onHeadStarted = cancellations::startHead;

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
        this.name = "mp4j-pool-" + POOL_NUMBERS.incrementAndGet();
        this.dispatcher = new Dispatcher(maxTasks);
        this.slots = new WorkerConn[processes];
        this.generations = new long[processes];
        this.figures = new SlotFigures(processes);
        try {
            byte[] token = PoolChannel.newToken();
            this.listener = new PoolListener(this, token, name);
            this.factory = new WorkerFactory(context, initializer, maxTasks, listener.path(), token);
        } catch (IOException e) {
            throw new ProcessStartException("cannot create the pool's socket: " + e + " (check that the temp dir "
                    + System.getProperty("java.io.tmpdir") + " is writable)", e);
        }
        List<WorkerConn> first = new ArrayList<>();
        synchronized (this) {
            for (int i = 0; i < processes; i++) {
                first.add(prepare(i));
            }
        }
        RuntimeException failure = WorkerFactory.startAll(first, this::start);
        if (failure != null) {
            terminate();
            throw failure;
        }
    }

    /** Makes the next worker of a slot; under the lock. */
    private WorkerConn prepare(int slot) {
        long generation = generations[slot]++;
        RunMark mark;
        try {
            mark = RunMark.create();
        } catch (IOException | RuntimeException e) {
            mark = null; // a lost worker's oldest unanswered task is taken for the one it ran
        }
        WorkerConn w = new WorkerConn(slot, generation, factory.process(slot, generation,
                mark == null ? null : mark.path()), mark);
        slots[slot] = w;
        live.add(w);
        return w;
    }

    /** Starts a prepared worker's process; throws what start() throws, after breaking the pool. */
    private void start(WorkerConn w) {
        try {
            w.process.start();
        } catch (RuntimeException e) {
            synchronized (this) {
                live.remove(w);
                w.gone = true;
                if (slots[w.slot] == w) {
                    slots[w.slot] = null;
                }
            }
            termination.breakPool("cannot start a worker process: " + e.getMessage(), e);
            throw e;
        }
        boolean late;
        synchronized (this) {
            late = lifecycle.stopping();
        }
        if (late) {
            w.kill();
        }
        w.process.onExit().whenComplete((p, x) -> exited(w));
    }

    private void startLater(WorkerConn w) {
        WorkerFactory.startThread(() -> {
            try {
                start(w);
            } catch (RuntimeException e) {
                // the pool is broken and says why
            }
        });
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
    private void dispatch(List<WorkerConn> dirty) {
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
        PoolTimer.schedule(() -> {
            synchronized (this) {
                if (w.gone) {
                    return;
                }
            }
            w.kill();
        }, KILL_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** A worker's initializer threw: the pool is broken. */
    void initializerFailed(byte[] error) {
        termination.initializerFailed(error);
    }

    /** A worker's process ended. */
    private void exited(WorkerConn w) {
        WorkerConn replacement = null;
        TaskRecord lost;
        String brokenBy = null;
        Integer code = w.process.exitCode();
        List<WorkerConn> dirty = new ArrayList<>(2);
        synchronized (this) {
            w.gone = true;
            live.remove(w);
            if (slots[w.slot] == w) {
                slots[w.slot] = null;
            }
            functions.forget(w);
            lost = w.settleAtExit(queue);
            if (w.channel == null && !w.killedByPool && lifecycle.running() && lifecycle.broken() == null) {
                brokenBy = "a worker process ended before it was ready: pid=" + w.process.pid() + " exitCode=" + code
                        + " (see its stderr above; an initializer that ends the JVM, or a JVM option, does this)";
            } else if (lifecycle.replacesWorkers(queue.isEmpty())) {
                replacement = prepare(w.slot);
                figures.restarted(w.slot);
            }
            dispatch(dirty);
            termination.closeIfIdle();
            termination.checkTerminated();
        }
        w.closeChannel();
        flush(dirty);
        if (lost != null) {
            lost.outcome.failed(WorkerLoss.of(w, lost, code), -1);
        }
        if (brokenBy != null) {
            // a worker whose initializer threw sent INIT_FAILED before it exited, but its exit can be seen before
            // the listener has read that (both are on their way at once): give the reader a moment, so the pool
            // breaks with the initializer's own exception; breakPool keeps whichever cause comes first
            String cause = brokenBy;
            PoolTimer.schedule(() -> termination.breakPool(cause, null), INIT_FAILED_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }
        if (replacement != null) {
            startLater(replacement);
        }
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
        List<Long> out = new ArrayList<>();
        for (WorkerConn w : live) {
            if (w.process.pid() > 0) {
                out.add(w.process.pid());
            }
        }
        return out;
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
