package org.multiprocessing4j.internal.pool;

import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.pool.BrokenPoolException;

/**
 * What shutting down, terminating and breaking a pool do to its queue and its workers; the states themselves are
 * {@link PoolLifecycle}'s. The state it reads and changes is the engine's, guarded by the engine's lock; workers are
 * killed and tasks' outcomes delivered without it.
 *
 * <pre>
 * Overview.
 * shutdown():   once the queue is empty and no worker has an unanswered task, every worker's socket is closed (a
 *               worker not connected yet is killed): the workers exit by themselves.
 * terminate():  every queued and unanswered task is settled as cancelled, every worker killed.
 * broken:       as terminate(), but the tasks fail with the BrokenPoolException; the first cause is kept.
 * TERMINATED:   once no worker is live (after shutdown(): and the queue is empty), the listener is closed.
 * </pre>
 */
final class PoolTermination {
    private final PoolEngine engine;

    PoolTermination(PoolEngine engine) {
        this.engine = engine;
    }

    /** Once SHUTDOWN and idle, closes every worker's socket; under the lock. */
    void closeIfIdle() {
        if (!engine.lifecycle.draining() || !engine.queue.isEmpty()) {
            return;
        }
        for (WorkerConn w : engine.live) {
            if (!w.outstanding.isEmpty()) {
                return;
            }
        }
        for (WorkerConn w : engine.live) {
            w.retiring = true;
            if (w.channel != null) {
                w.closeChannel();
            } else {
                w.kill();
            }
        }
    }

    /** Enters TERMINATED if every worker has ended (see PoolLifecycle.terminateIf); under the lock. */
    void checkTerminated() {
        if (engine.lifecycle.terminateIf(engine.live.isEmpty(), engine.queue.isEmpty())) {
            engine.listener.close();
        }
    }

    /** Stops taking tasks; the queued ones still run. */
    void shutdown() {
        synchronized (engine) {
            engine.lifecycle.shutdown();
            closeIfIdle();
            checkTerminated();
        }
    }

    /** Cancels every queued and running task and kills every worker. */
    void terminate() {
        stop(null);
    }

    /** A worker's initializer threw: the pool is broken. */
    void initializerFailed(byte[] error) {
        Throwable cause = RemoteErrors.decode(error);
        breakPool("the pool's initializer failed in a worker: " + cause + " (every pending and later task fails;"
                + " fix the initializer and make a new pool)", cause);
    }

    /** Breaks the pool, unless it broke already: every pending task fails with this cause. */
    void breakPool(String message, Throwable cause) {
        BrokenPoolException e = new BrokenPoolException(message, cause);
        synchronized (engine) {
            if (!engine.lifecycle.breakWith(e)) {
                return;
            }
        }
        stop(e);
    }

    private void stop(BrokenPoolException failure) {
        List<TaskRecord> dropped = new ArrayList<>();
        List<WorkerConn> workers;
        synchronized (engine) {
            if (!engine.lifecycle.beginTermination()) {
                return;
            }
            for (TaskRecord t : engine.queue) {
                if (!t.settled) {
                    t.settled = true;
                    dropped.add(t);
                }
            }
            engine.queue.clear();
            for (WorkerConn w : engine.live) {
                for (TaskRecord t : w.outstanding) {
                    if (!t.settled) {
                        t.settled = true;
                        dropped.add(t);
                    }
                }
            }
            workers = new ArrayList<>(engine.live);
            checkTerminated();
        }
        for (WorkerConn w : workers) {
            w.kill();
        }
        for (TaskRecord t : dropped) {
            if (failure != null) {
                t.outcome.failed(failure, -1);
            } else {
                t.outcome.cancelled();
            }
        }
    }
}
