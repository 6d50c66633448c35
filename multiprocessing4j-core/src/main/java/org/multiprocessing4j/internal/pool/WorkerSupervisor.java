package org.multiprocessing4j.internal.pool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.pool.protocol.RunMark;

/**
 * Starts the worker processes of one pool, watches them end, and replaces them: it makes a slot's next worker,
 * starts the first ones in parallel and replacements on a thread of their own, and settles what a worker's exit
 * leaves behind. The state it reads and changes is the engine's, guarded by the engine's lock; no process is
 * started or killed and no outcome delivered under it.
 *
 * <pre>
 * Overview.
 * A worker's process ends (onExit): its oldest unanswered task is the one it was running and fails with
 *   WorkerLostException; its other tasks never started and are queued again, first. A worker the pool killed
 *   for a time-out or cancel (that task is settled already) takes no tasks from then on, and at its exit all its
 *   unsettled tasks are queued again, even one that started between the kill and the death (it runs twice).
 *   A worker that ends before saying HELLO, unless the pool killed it, breaks the pool (its initializer or its
 *   start is broken: replacing it would loop).
 * A worker's connection ends: its process is expected to end too, else it is killed after KILL_GRACE_MILLIS.
 * </pre>
 */
final class WorkerSupervisor {
    private static final long KILL_GRACE_MILLIS = 2_000;
    /** How long the exit of a worker that never said HELLO waits for its INIT_FAILED before it breaks the pool. */
    private static final long INIT_FAILED_GRACE_MILLIS = 500;

    private final PoolEngine engine;
    private final PoolTermination termination;
    private final WorkerFactory factory;
    private final long[] generations;

    WorkerSupervisor(PoolEngine engine, PoolTermination termination, WorkerFactory factory) {
        this.engine = engine;
        this.termination = termination;
        this.factory = factory;
        this.generations = new long[engine.slots.length];
    }

    /**
     * Starts a worker in every slot; returns once every worker process has been started (not yet connected).
     *
     * @throws org.multiprocessing4j.ProcessStartException if a worker cannot be started; the pool is terminated
     */
    void startFirst() {
        List<WorkerConn> first = new ArrayList<>();
        synchronized (engine) {
            for (int i = 0; i < generations.length; i++) {
                first.add(prepare(i));
            }
        }
        RuntimeException failure = WorkerFactory.startAll(first, this::start);
        if (failure != null) {
            termination.terminate();
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
        engine.slots[slot] = w;
        engine.live.add(w);
        return w;
    }

    /** Starts a prepared worker's process; throws what start() throws, after breaking the pool. */
    private void start(WorkerConn w) {
        try {
            w.process.start();
        } catch (RuntimeException e) {
            synchronized (engine) {
                engine.live.remove(w);
                w.gone = true;
                if (engine.slots[w.slot] == w) {
                    engine.slots[w.slot] = null;
                }
            }
            termination.breakPool("cannot start a worker process: " + e.getMessage(), e);
            throw e;
        }
        boolean late;
        synchronized (engine) {
            late = engine.lifecycle.stopping();
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

    /** A worker's connection ended; its process is expected to end too (else it is killed after a grace). */
    void disconnected(WorkerConn w) {
        PoolTimer.schedule(() -> {
            synchronized (engine) {
                if (w.gone) {
                    return;
                }
            }
            w.kill();
        }, KILL_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** A worker's process ended. */
    private void exited(WorkerConn w) {
        WorkerConn replacement = null;
        TaskRecord lost;
        String brokenBy = null;
        Integer code = w.process.exitCode();
        List<WorkerConn> dirty = new ArrayList<>(2);
        synchronized (engine) {
            w.gone = true;
            engine.live.remove(w);
            if (engine.slots[w.slot] == w) {
                engine.slots[w.slot] = null;
            }
            engine.functions.forget(w);
            lost = w.settleAtExit(engine.queue);
            PoolLifecycle lifecycle = engine.lifecycle;
            if (w.channel == null && !w.killedByPool && lifecycle.running() && lifecycle.broken() == null) {
                brokenBy = "a worker process ended before it was ready: pid=" + w.process.pid() + " exitCode=" + code
                        + " (see its stderr above; an initializer that ends the JVM, or a JVM option, does this)";
            } else if (lifecycle.replacesWorkers(engine.queue.isEmpty())) {
                replacement = prepare(w.slot);
                engine.figures.restarted(w.slot);
            }
            engine.dispatch(dirty);
            termination.closeIfIdle();
            termination.checkTerminated();
        }
        w.closeChannel();
        Dispatcher.flush(dirty);
        if (lost != null) {
            lost.outcome.failed(WorkerLoss.of(w, lost, code), -1);
        }
        if (brokenBy != null) {
            // a worker whose initializer threw sent INIT_FAILED before it exited, but its exit can be seen before
            // the listener has read that (both are on their way at once): give the reader a moment, so the pool
            // breaks with the initializer's own exception; breakPool keeps whichever cause comes first
            String cause = brokenBy;
            PoolTimer.schedule(() -> termination.breakPool(cause, null), INIT_FAILED_GRACE_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
        if (replacement != null) {
            startLater(replacement);
        }
    }

    /** @return the pids of the live workers; under the lock */
    List<Long> pids() {
        List<Long> out = new ArrayList<>();
        for (WorkerConn w : engine.live) {
            if (w.process.pid() > 0) {
                out.add(w.process.pid());
            }
        }
        return out;
    }
}
