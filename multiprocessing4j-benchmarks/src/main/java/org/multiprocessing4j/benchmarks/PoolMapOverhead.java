package org.multiprocessing4j.benchmarks;

import static org.multiprocessing4j.benchmarks.Common.emit;
import static org.multiprocessing4j.benchmarks.Common.median;
import static org.multiprocessing4j.benchmarks.Common.percentile;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.concurrent.CompletableFuture;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.pool.ProcessPool;

/**
 * pool_map_overhead, the twin of {@code ../shared/bench/python/pool_map_overhead.py}: per-task overhead of a
 * {@link ProcessPool} of 2 workers with the trivial task {@code x + 1}.
 *
 * <pre>
 *   pool2_startup_to_first_result  new ProcessPool(2) + map(inc, [0, 1]); two variants:
 *                                  start_method=prestart  ready JVMs were waiting (as Python's fork has a parent
 *                                                         to fork from): one ChildProcess ran first, then a pause
 *                                  start_method=cold      the first pool of a fresh JVM: launches both JVMs
 *   map_default_chunksize_items_per_s   map(inc, range(n_big)) with the default chunk size (len / (4 * 2))
 *   map_chunksize1_items_per_s          map(inc, range(n_small), 1)
 *   apply_async_get_rtt_median          applyAsync(() -> inc(i)).get(), sequential
 *   executor_submit_result_rtt_median   submit(() -> inc(i)).get(), sequential
 *   executor_submit_all_then_wait_tasks_per_s   submit n_small tasks, then get() them all
 *   map_default_chunksize_read_all_items_per_s  (not Python's) the default-chunk map and a loop that reads every
 *                                               result, timed together (the list boxes a number on each get)
 * </pre>
 * Same sizes, repetitions and warm-ups as Python; the input is a lazy range (a {@code RandomAccess} list that
 * computes its elements), as Python passes a {@code range} object. Python runs the executor metrics on a separate
 * {@code ProcessPoolExecutor}; here the same class is both, so a second pool of 2 is made for them.
 */
final class PoolMapOverhead {
    static final String BENCH = "pool_map_overhead";

    private PoolMapOverhead() {
    }

    static int run(String[] args) throws Exception {
        int nBig = Common.scale(1_000_000, 1000);
        int nSmall = Common.scale(20_000, 100);
        long t0 = System.nanoTime();
        ProcessPool cold = new ProcessPool(2);
        cold.map(PoolTargets::inc, List.of(0, 1));
        emit(BENCH, "pool2_startup_to_first_result", (System.nanoTime() - t0) / 1e6, "ms", "start_method", "cold");
        cold.close();
        // ready JVMs: the context keeps two waiting once a process has been started; give them time to warm up
        ChildProcess p = new ChildProcess(() -> { });
        p.start();
        p.join();
        Thread.sleep(1500);
        t0 = System.nanoTime();
        ProcessPool pool = new ProcessPool(2);
        pool.map(PoolTargets::inc, List.of(0, 1));
        emit(BENCH, "pool2_startup_to_first_result", (System.nanoTime() - t0) / 1e6, "ms", "start_method", "prestart",
                "ready_jvms", Multiprocessing.getContext().readyJvms());
        try {
            measure(pool, nBig, nSmall);
        } finally {
            pool.close();
        }
        return 0;
    }

    private static void measure(ProcessPool pool, int nBig, int nSmall) throws Exception {
        pool.map(PoolTargets::inc, range(10_000));
        List<Double> rates = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            long t = System.nanoTime();
            List<Integer> out = pool.map(PoolTargets::inc, range(nBig));
            double dt = (System.nanoTime() - t) / 1e9;
            check(out.size() == nBig && out.get(nBig - 1) == nBig, "map result");
            rates.add(nBig / dt);
        }
        emit(BENCH, "map_default_chunksize_items_per_s", median(rates), "items/s", "n", nBig, "reps", 3,
                "chunksize_used", -(-nBig / (2 * 4)), "rep_values", round(rates), "start_method", "prestart");
        rates = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            long t = System.nanoTime();
            List<Integer> out = pool.map(PoolTargets::inc, range(nSmall), 1);
            double dt = (System.nanoTime() - t) / 1e9;
            check(out.size() == nSmall, "map chunksize 1 result");
            rates.add(nSmall / dt);
        }
        emit(BENCH, "map_chunksize1_items_per_s", median(rates), "items/s", "n", nSmall, "reps", 3,
                "rep_values", round(rates), "start_method", "prestart");
        int nRtt = Common.scale(5000, 100);
        List<Double> lat = new ArrayList<>(nRtt);
        for (int i = 0; i < nRtt; i++) {
            int x = i;
            long t = System.nanoTime();
            pool.applyAsync(() -> PoolTargets.inc(x)).get();
            lat.add((System.nanoTime() - t) / 1e3);
        }
        emit(BENCH, "apply_async_get_rtt_median", median(lat), "us", "n", nRtt, "p99", percentile(lat, 99),
                "start_method", "prestart");

        try (ProcessPool ex = new ProcessPool(2)) {
            ex.map(PoolTargets::inc, range(1000), 1);
            lat = new ArrayList<>(nSmall);
            double sum = 0;
            for (int i = 0; i < nSmall; i++) {
                int x = i;
                long t = System.nanoTime();
                ex.submit(() -> PoolTargets.inc(x)).get();
                double us = (System.nanoTime() - t) / 1e3;
                lat.add(us);
                sum += us;
            }
            emit(BENCH, "executor_submit_result_rtt_median", median(lat), "us", "n", nSmall, "p99",
                    percentile(lat, 99), "mean", sum / nSmall, "start_method", "prestart");
            rates = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                long t = System.nanoTime();
                List<CompletableFuture<Integer>> fs = new ArrayList<>(nSmall);
                for (int i = 0; i < nSmall; i++) {
                    int x = i;
                    fs.add(ex.submit(() -> PoolTargets.inc(x)));
                }
                int last = 0;
                for (CompletableFuture<Integer> f : fs) {
                    last = f.get();
                }
                double dt = (System.nanoTime() - t) / 1e9;
                check(last == nSmall, "submit results");
                rates.add(nSmall / dt);
            }
            emit(BENCH, "executor_submit_all_then_wait_tasks_per_s", median(rates), "tasks/s", "n", nSmall,
                    "reps", 3, "rep_values", round(rates), "start_method", "prestart");
        }
        // not Python's: the default-chunk map with every result read back (unboxed and summed) inside the timed
        // window, since the list a map returns keeps numbers unboxed and makes a box on each get (docs/pools.md);
        // last, so that it changes nothing that the metrics above measure
        rates = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            long t = System.nanoTime();
            List<Integer> out = pool.map(PoolTargets::inc, range(nBig));
            long sum = 0;
            for (int v : out) {
                sum += v;
            }
            double dt = (System.nanoTime() - t) / 1e9;
            check(sum == (long) nBig * (nBig + 1) / 2, "map result sum");
            rates.add(nBig / dt);
        }
        emit(BENCH, "map_default_chunksize_read_all_items_per_s", median(rates), "items/s", "n", nBig, "reps", 3,
                "rep_values", round(rates), "start_method", "prestart");
    }

    /** Python's {@code range(n)}: a lazy sequence of 0..n-1, not a list (Pool.map makes it into one). */
    static List<Integer> range(int n) {
        return new Range(n);
    }

    private static final class Range extends AbstractList<Integer> implements RandomAccess {
        private final int n;

        Range(int n) {
            this.n = n;
        }

        @Override
        public Integer get(int index) {
            Objects.checkIndex(index, n);
            return index;
        }

        @Override
        public int size() {
            return n;
        }
    }

    static List<Double> round(List<Double> xs) {
        List<Double> out = new ArrayList<>(xs.size());
        for (double x : xs) {
            out.add(Math.round(x * 1000) / 1000.0);
        }
        return out;
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("wrong " + what);
        }
    }
}
