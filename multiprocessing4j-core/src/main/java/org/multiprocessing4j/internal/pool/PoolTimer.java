package org.multiprocessing4j.internal.pool;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one daemon thread ({@code mp4j-pool-timer}) that runs the delayed actions of every pool in this JVM: task
 * time-outs, the kill of a worker whose connection ended before its process, and the grace before a worker that
 * ended without saying HELLO breaks its pool. An action is called with no lock held and takes the engine's lock
 * itself.
 */
final class PoolTimer {
    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "mp4j-pool-timer");
        t.setDaemon(true);
        return t;
    });

    private PoolTimer() {
    }

    /** Runs {@code action} once, after {@code delay}. */
    static void schedule(Runnable action, long delay, TimeUnit unit) {
        TIMER.schedule(action, delay, unit);
    }
}
