package org.multiprocessing4j.internal.pool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.multiprocessing4j.internal.pool.protocol.PoolChannel;
import org.multiprocessing4j.internal.pool.protocol.PoolMessage;

/**
 * A caller that waits for a short task reads the worker's replies itself, instead of waiting for the worker's
 * reader thread to wake up and hand the result over: a thread hand-off costs tens of microseconds on a busy
 * machine, more than such a task takes.
 *
 * <pre>
 * Overview: the worker's channel has one read lock. The caller marks itself as a helper (the reader thread sees
 * that and parks), takes the lock with tryLock, polls the channel and hands each reply to the engine, exactly as
 * the reader thread would, until its own future completes or its time is up. The last helper to leave with its
 * future not done unparks the reader thread, which then reads as before. A pool thread (a reader running a
 * caller's dependent stage) helps without a time limit, since nobody else would read its worker's replies.
 * </pre>
 */
final class CallerReads {
    private static final long SPIN_ONLY_NANOS = 20_000;
    private static final ThreadLocal<Boolean> POOL_THREAD = ThreadLocal.withInitial(() -> false);

    private CallerReads() {
    }

    /**
     * Waits a moment between polls: a pause instruction at first, then a yield of the CPU, so that on a machine
     * with more runnable threads than cores the worker (or the reader) this caller waits for gets to run.
     */
    private static void idle(long start) {
        if (System.nanoTime() - start < SPIN_ONLY_NANOS) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    /** Marks the current thread as one of the pool's reader threads. */
    static void markPoolThread() {
        POOL_THREAD.set(true);
    }

    /** @return the time a caller in this thread may spend reading replies */
    static long budget(long nanos) {
        return POOL_THREAD.get() ? Long.MAX_VALUE / 2 : nanos;
    }

    /**
     * Reads, in the calling thread, the replies of the worker that runs {@code t} until {@code done} completes or
     * {@code nanos} pass: a caller that waits for a short task gets its result without a thread hand-off. The
     * worker's reader thread stands aside meanwhile (see PoolListener).
     */
    static void help(PoolEngine engine, TaskRecord t, java.util.concurrent.Future<?> done, long nanos) {
        long start = System.nanoTime();
        long until = start + budget(nanos);
        List<WorkerConn> dirty = new ArrayList<>(2);
        while (!done.isDone() && System.nanoTime() < until) {
            WorkerConn w = t.worker;
            PoolChannel channel = w == null ? null : w.channel;
            if (channel == null) {
                Thread.onSpinWait();
                continue;
            }
            w.helpers.incrementAndGet();
            try {
                while (!done.isDone() && t.worker == w && System.nanoTime() < until) {
                    if (!w.readLock.tryLock()) {
                        // the reader thread reads; if it lost its CPU while holding the lock, a pure spin here
                        // could keep it off a crowded CPU for the rest of the budget: pause, then yield, as below
                        idle(start);
                        continue;
                    }
                    try {
                        PoolMessage m = channel.poll();
                        if (m == null) {
                            idle(start);
                            continue;
                        }
                        engine.reply(w, m, dirty);
                        if (channel.hasPending() && !dirty.contains(w)) {
                            dirty.add(w);
                        }
                    } catch (IOException e) {
                        return;
                    } finally {
                        w.readLock.unlock();
                    }
                    PoolEngine.flush(dirty);
                    dirty.clear();
                }
            } finally {
                if (w.helpers.decrementAndGet() == 0 && !done.isDone()) {
                    Thread reader = w.reader;
                    if (reader != null) {
                        LockSupport.unpark(reader);
                    }
                }
            }
        }
    }

}
