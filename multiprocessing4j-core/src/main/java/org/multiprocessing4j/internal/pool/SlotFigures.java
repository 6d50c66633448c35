package org.multiprocessing4j.internal.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.pool.WorkerStats;

/** The figures of a pool's worker slots, summed over the processes that filled each; guarded by the engine's lock. */
final class SlotFigures {
    private final long[] done;
    private final long[] busyNanos;
    private final int[] restarts;

    SlotFigures(int slots) {
        this.done = new long[slots];
        this.busyNanos = new long[slots];
        this.restarts = new int[slots];
    }

    void done(int slot, long busy) {
        done[slot]++;
        busyNanos[slot] += busy;
    }

    void restarted(int slot) {
        restarts[slot]++;
    }

    List<WorkerStats> snapshot(WorkerConn[] workers) {
        List<WorkerStats> out = new ArrayList<>(workers.length);
        for (int i = 0; i < workers.length; i++) {
            WorkerConn w = workers[i];
            out.add(new WorkerStats(i, w == null ? -1 : w.process.pid(), done[i], Duration.ofNanos(busyNanos[i]),
                    restarts[i], w == null ? 0 : w.outstanding.size()));
        }
        return out;
    }
}
