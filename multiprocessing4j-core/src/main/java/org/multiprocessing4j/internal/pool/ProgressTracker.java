package org.multiprocessing4j.internal.pool;

import java.time.Duration;
import java.util.function.Consumer;
import org.multiprocessing4j.pool.Progress;

/** Counts finished items of one call and reports to a listener at most every REPORT_NANOS, and once at the end. */
final class ProgressTracker {
    private static final long REPORT_NANOS = 200_000_000;

    private final Consumer<Progress> listener;
    private final long total;
    private final long t0 = System.nanoTime();
    private long done;
    private long lastReport;
    private boolean finished;

    ProgressTracker(Consumer<Progress> listener, long total) {
        this.listener = listener;
        this.total = total;
        report(0);
    }

    void add(long items) {
        Progress p = null;
        synchronized (this) {
            done += items;
            long now = System.nanoTime();
            if (now - lastReport >= REPORT_NANOS && !finished) {
                lastReport = now;
                p = new Progress(done, total, Duration.ofNanos(now - t0));
            }
        }
        if (p != null) {
            deliver(p);
        }
    }

    void finish() {
        Progress p;
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            p = new Progress(done, total < 0 ? done : total, Duration.ofNanos(System.nanoTime() - t0));
        }
        deliver(p);
    }

    private void report(long items) {
        deliver(new Progress(items, total, Duration.ZERO));
    }

    private void deliver(Progress p) {
        try {
            listener.accept(p);
        } catch (RuntimeException e) {
            // a listener's bug must not break the map call
        }
    }
}
