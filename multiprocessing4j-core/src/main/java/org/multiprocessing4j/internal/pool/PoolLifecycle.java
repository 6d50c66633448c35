package org.multiprocessing4j.internal.pool;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.pool.BrokenPoolException;

/**
 * The run state of one pool, and the failure that broke it, if any. Guarded by the engine's lock, except
 * {@link #await(long)}, which waits without it.
 *
 * <pre>
 * Overview (as ThreadPoolExecutor's runState):
 * state        | entered by                                   | tasks          | workers
 * RUNNING      | construction                                 | taken          | bound when they say HELLO; one that
 *              |                                              |                | ends is replaced
 * SHUTDOWN     | shutdown()                                   | refused; the   | still bound and replaced while queued
 *              |                                              | queued ones run| tasks wait; once idle their sockets are
 *              |                                              |                | closed and they exit by themselves
 * TERMINATING  | terminate(), shutdownNow(), or the pool broke| queued and     | killed; none bound or replaced
 *              | (broken is set first, once)                  | running ones   |
 *              |                                              | cancelled, or  |
 *              |                                              | failed with the|
 *              |                                              | broken cause   |
 * TERMINATED   | every worker process ended (SHUTDOWN: with   | —              | none; the listener is closed
 *              | the queue empty)                             |                |
 * </pre>
 */
final class PoolLifecycle {
    private enum State { RUNNING, SHUTDOWN, TERMINATING, TERMINATED }

    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private State state = State.RUNNING;
    private BrokenPoolException broken;

    /** @return whether new tasks are taken */
    boolean running() {
        return state == State.RUNNING;
    }

    /** @return whether shutdown() was called and the pool has not been terminated since */
    boolean draining() {
        return state == State.SHUTDOWN;
    }

    /** @return whether a worker that says HELLO is bound (its tasks may still come) */
    boolean bindsWorkers() {
        return state == State.RUNNING || state == State.SHUTDOWN;
    }

    /** @return whether terminate() was called or the pool broke: workers started late are killed at once */
    boolean stopping() {
        return state == State.TERMINATING || state == State.TERMINATED;
    }

    /** @return whether a worker that ended is replaced, given whether tasks are queued */
    boolean replacesWorkers(boolean queueEmpty) {
        return broken == null && (state == State.RUNNING || (state == State.SHUTDOWN && !queueEmpty));
    }

    /** @return the failure that broke the pool, or {@code null} */
    BrokenPoolException broken() {
        return broken;
    }

    /** RUNNING becomes SHUTDOWN; any other state stays. */
    void shutdown() {
        if (state == State.RUNNING) {
            state = State.SHUTDOWN;
        }
    }

    /**
     * Records the failure that breaks the pool, unless it broke already or terminated.
     *
     * @return whether {@code failure} is now the pool's
     */
    boolean breakWith(BrokenPoolException failure) {
        if (broken != null || state == State.TERMINATED) {
            return false;
        }
        broken = failure;
        return true;
    }

    /** @return false if the pool had terminated already; else it is TERMINATING now */
    boolean beginTermination() {
        if (state == State.TERMINATED) {
            return false;
        }
        state = State.TERMINATING;
        return true;
    }

    /**
     * Enters TERMINATED if the pool is shutting down or terminating and the conditions hold.
     *
     * @param noWorkers whether every worker process has ended
     * @param queueEmpty whether no task waits in the queue
     * @return whether the pool terminated just now
     */
    boolean terminateIf(boolean noWorkers, boolean queueEmpty) {
        if (noWorkers && (state == State.TERMINATING || (state == State.SHUTDOWN && queueEmpty))) {
            state = State.TERMINATED;
            terminated.complete(null);
            return true;
        }
        return false;
    }

    /** @return whether every worker has ended after a shutdown or terminate */
    boolean terminated() {
        return state == State.TERMINATED;
    }

    /** @return the state's name, for messages */
    String describe() {
        return state.name();
    }

    /**
     * Waits for TERMINATED; without the engine's lock.
     *
     * @param nanos the longest wait; negative for no limit
     * @return whether the pool terminated
     * @throws InterruptedException if interrupted while waiting
     */
    boolean await(long nanos) throws InterruptedException {
        try {
            if (nanos < 0) {
                terminated.get();
            } else {
                terminated.get(nanos, TimeUnit.NANOSECONDS);
            }
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }
}
