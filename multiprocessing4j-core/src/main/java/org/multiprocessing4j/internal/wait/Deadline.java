package org.multiprocessing4j.internal.wait;

import java.util.concurrent.TimeUnit;

/** {@link System#nanoTime()} deadlines, with {@link Long#MAX_VALUE} for "none" and no overflow. */
public final class Deadline {
    /** No deadline. */
    public static final long NONE = Long.MAX_VALUE;

    private Deadline() {
    }

    /**
     * @param timeout a time-out (0 or less: already passed)
     * @param unit its unit
     * @return the deadline, {@link #NONE} for a time-out too long to matter
     */
    public static long after(long timeout, TimeUnit unit) {
        long nanos = unit.toNanos(timeout);
        if (nanos >= Long.MAX_VALUE / 4) {
            return NONE;
        }
        long d = System.nanoTime() + Math.max(nanos, 0);
        return d == NONE ? NONE - 1 : d;
    }

    /**
     * @param deadline a deadline or {@link #NONE}
     * @param now the current {@link System#nanoTime()}
     * @return nanoseconds left (0 or less: passed); {@link Long#MAX_VALUE} for none
     */
    public static long remaining(long deadline, long now) {
        return deadline == NONE ? Long.MAX_VALUE : deadline - now;
    }
}
