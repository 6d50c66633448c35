package org.multiprocessing4j.internal.pool.worker;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends the replies a worker holds back when the task it runs meanwhile takes long. A worker answers a run of quick
 * tasks with one flush (see {@link WorkerSession}); without this, the replies of quick tasks waited for every task
 * queued behind them, however slow: an imap's first items, a quick task's result (and its time-out fired although
 * it had finished). A daemon thread of the worker watches each task that starts while replies are held, and once it
 * has run {@link #HOLD_NANOS}, takes the held replies out itself; the worker's thread does not touch them until it
 * has ended the watch.
 *
 * <pre>
 * state: IDLE (0): no task watched; n > 0: the n-th watched task runs (armedAt is its start); TAKEN: the watch
 * thread is sending the held replies; RETURNED: it has, the worker may go on.
 * worker: arm() sets armedAt, then state = ++n; disarm() CASes n back to IDLE, or, if the watch took it, waits for
 * RETURNED (the watch writes what the socket takes now, never waits for the pool) and then sets IDLE.
 * watch thread: parks while IDLE (arm unparks it, only if it parked: once per run of tasks, not per task); while
 * armed, parks until armedAt + HOLD_NANOS, and if the same task still runs then, CASes n to TAKEN and sends.
 * </pre>
 */
final class ReplyWatch {
    /** How long held replies may wait for the task that runs behind them. */
    static final long HOLD_NANOS = 1_000_000;
    private static final long IDLE = 0;
    private static final long TAKEN = -1;
    private static final long RETURNED = -2;

    /** What takes the held replies out; runs on the watch thread while the worker's thread runs a task. */
    interface Release {
        void release();
    }

    private final Release release;
    private final AtomicLong state = new AtomicLong(IDLE);
    private volatile long armedAt;
    private volatile boolean parked;
    private long watched;
    private Thread thread;
    private volatile boolean closed;

    ReplyWatch(Release release) {
        this.release = release;
    }

    /** Watches the task about to run: replies are held. On the worker's thread. @return true */
    boolean arm() {
        if (thread == null) {
            thread = new Thread(this::watch, "mp4j-pool-worker-replies");
            thread.setDaemon(true);
            thread.start();
        }
        armedAt = System.nanoTime();
        state.set(++watched);
        if (parked) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    /**
     * Ends the watch of the task that just ran. On the worker's thread.
     *
     * @return whether the watch took the held replies out meanwhile
     */
    boolean disarm() {
        if (state.compareAndSet(watched, IDLE)) {
            return false;
        }
        while (state.get() != RETURNED) {
            Thread.onSpinWait();
        }
        state.set(IDLE);
        return true;
    }

    /**
     * Ends the watch thread, if it was started, and waits for it (a session that ends before its JVM does: a ready
     * JVM's rehearsal). On the worker's thread, with no task watched.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void close() throws InterruptedException {
        closed = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            t.join();
        }
    }

    private void watch() {
        while (!closed) {
            long n = state.get();
            if (n <= 0) {
                parked = true;
                if (state.get() <= 0) {
                    LockSupport.park(this);
                }
                parked = false;
                continue;
            }
            long wait = armedAt + HOLD_NANOS - System.nanoTime();
            if (state.get() != n) {
                continue; // armedAt was another task's
            }
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
            } else if (state.compareAndSet(n, TAKEN)) {
                try {
                    release.release();
                } finally {
                    state.set(RETURNED);
                }
            }
        }
    }
}
