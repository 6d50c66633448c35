package org.multiprocessing4j.benchmarks;

import static org.multiprocessing4j.benchmarks.Common.emit;
import static org.multiprocessing4j.benchmarks.Common.median;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.multiprocessing4j.pool.ProcessPool;

/**
 * pool_cpu_scaling, the twin of {@code ../shared/bench/python/pool_cpu_scaling.py}: 16 CPU-bound tasks (sum of
 * squares, calibrated to ~50 ms in this JVM) on a pool of 1 and of 2 workers, chunksize 1, runs interleaved
 * (ABAB) after a warm-up; speedup = median t(pool 1) / median t(pool 2). Only the speed-ups compare across
 * languages. The task is warmed up (JIT-compiled) in the parent before calibrating, and in each worker by the
 * warm-up map.
 */
final class PoolCpuScaling {
    static final String BENCH = "pool_cpu_scaling";
    private static final int TASKS = 16;

    private PoolCpuScaling() {
    }

    static int run(String[] args) throws Exception {
        for (int i = 0; i < 20; i++) {
            PoolTargets.sumsq(1_000_000);
        }
        int[] calibrated = calibrate(0.05);
        int n = calibrated[0];
        double tOne = calibrated[1] / 1e9;
        int reps = Common.scale(3, 1);
        List<Double> serial = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < TASKS; i++) {
                PoolTargets.sumsq(n);
            }
            serial.add((System.nanoTime() - t0) / 1e9);
        }
        Map<Integer, ProcessPool> pools = new TreeMap<>();
        pools.put(1, new ProcessPool(1));
        pools.put(2, new ProcessPool(2));
        Map<Integer, List<Double>> times = new TreeMap<>();
        try {
            for (ProcessPool p : pools.values()) {
                p.map(PoolTargets::sumsq, Collections.nCopies(4, 1000), 1);
                // the worker's JIT: as long as the parent's warm-up above
                p.map(PoolTargets::sumsq, Collections.nCopies(20, 1_000_000), 1);
            }
            List<Integer> items = Collections.nCopies(TASKS, n);
            for (int r = 0; r < reps; r++) {
                for (int k : pools.keySet()) {
                    long t0 = System.nanoTime();
                    pools.get(k).map(PoolTargets::sumsq, items, 1);
                    times.computeIfAbsent(k, x -> new ArrayList<>()).add((System.nanoTime() - t0) / 1e9);
                }
            }
        } finally {
            pools.values().forEach(ProcessPool::close);
        }
        Object[] common = {"tasks", TASKS, "n_per_task", n, "task_ms_in_parent", Math.round(tOne * 1e5) / 100.0,
                "reps", reps, "start_method", "prestart"};
        emit(BENCH, "serial_in_parent_s", median(serial), "s", with(common, "rep_values", PoolMapOverhead.round(serial)));
        emit(BENCH, "pool1_s", median(times.get(1)), "s", with(common, "rep_values", PoolMapOverhead.round(times.get(1))));
        emit(BENCH, "pool2_s", median(times.get(2)), "s", with(common, "rep_values", PoolMapOverhead.round(times.get(2))));
        emit(BENCH, "speedup_pool2_vs_pool1", median(times.get(1)) / median(times.get(2)), "x", common);
        emit(BENCH, "speedup_pool2_vs_serial", median(serial) / median(times.get(2)), "x", common);
        return 0;
    }

    private static Object[] with(Object[] common, String key, Object value) {
        Object[] out = java.util.Arrays.copyOf(common, common.length + 2);
        out[common.length] = key;
        out[common.length + 1] = value;
        return out;
    }

    /** Python's {@code calibrate}: n for ~target seconds, and the median time of 5 runs at that n (nanoseconds). */
    private static int[] calibrate(double targetS) {
        int n = 100_000;
        double dt;
        while (true) {
            long t0 = System.nanoTime();
            PoolTargets.sumsq(n);
            dt = (System.nanoTime() - t0) / 1e9;
            if (dt > 0.01) {
                break;
            }
            n *= 2;
        }
        n = (int) Math.min(Integer.MAX_VALUE, n * targetS / dt);
        List<Double> ts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            PoolTargets.sumsq(n);
            ts.add((double) (System.nanoTime() - t0));
        }
        return new int[] {n, (int) Math.round(median(ts))};
    }
}
