package org.multiprocessing4j.benchmarks;

import static org.multiprocessing4j.benchmarks.Common.emit;
import static org.multiprocessing4j.benchmarks.Common.median;
import static org.multiprocessing4j.benchmarks.Common.percentile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentMap;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.connection.Connection;
import org.multiprocessing4j.connection.Pipe;
import org.multiprocessing4j.manager.Batch;
import org.multiprocessing4j.manager.Manager;

/**
 * manager_dict, the twin of {@code ../shared/bench/python/manager_dict.py}: {@code Manager.dict()} proxy operations
 * issued from a child process, each a synchronous round trip child -&gt; manager server process.
 *
 * <pre>
 * As in Python: n = scale(10000, 100); keys cycle over 100 short strings ("k0".."k99"), values small ints; the
 * child warms up with 500 set+get, then times n individual d.put(k, i) and n d.get(k); 3 repetitions, each with
 * a fresh child; results come back over a Pipe.
 * Metrics: manager_startup (ms, Manager.start() to a usable manager) in two variants: paced=false, the first in
 * this JVM, so its server JVM is launched cold, with no ready JVM to take (it is closed at once); paced=true, the
 * second, after a pause of MPBENCH_PACE_MS (default 400 ms) so that a JVM made ready ahead of time is waiting, as
 * process_start's paced variant (Python forks its server: its process is ready at once). The dict runs on the
 * paced manager. set_rtt_median / get_rtt_median (us, median over reps of each rep's median; p99 in params),
 * set_get_ops_per_s (2n / summed per-op time).
 * Extra: first_dict_ms: the paced manager's first m.dict() (the first proxy round trip of this JVM).
 * Extra: batched_set_ops_per_s: the same n puts recorded on a Batch and run 100 per round trip (Manager.batch()).
 * Extra: set_get_stalled_ms: the summed time of the timed calls that took over 1 ms each (with their count), the
 * part of set_get_ops_per_s that scheduling decides (a side off its core); child_cpu_us_per_call: the child's
 * thread CPU time over the timed calls per call (the path length, spin-waiting included), read once before and
 * once after the timed loops.
 * </pre>
 */
final class ManagerDict {
    static final String BENCH = "manager_dict";
    private static final int REPS = 3;

    private ManagerDict() {
    }

    static int run(String[] args) throws Exception {
        int n = Common.scale(10_000, 100);
        String method = Multiprocessing.getStartMethod().name().toLowerCase(Locale.ROOT);
        long t0 = System.nanoTime();
        Manager cold = Manager.start();
        emit(BENCH, "manager_startup", Common.ms(System.nanoTime() - t0), "ms", "start_method", method, "paced",
                false);
        cold.close();
        long pace = Common.paceMillis();
        Thread.sleep(pace);
        t0 = System.nanoTime();
        Manager m = Manager.start();
        long t1 = System.nanoTime();
        ConcurrentMap<String, Integer> d = m.dict();
        long t2 = System.nanoTime();
        emit(BENCH, "manager_startup", Common.ms(t1 - t0), "ms", "start_method", method, "paced", true, "pace_ms",
                pace);
        emit(BENCH, "first_dict_ms", Common.ms(t2 - t1), "ms", "start_method", method, "paced", true);
        List<Double> setMeds = new ArrayList<>();
        List<Double> getMeds = new ArrayList<>();
        List<Double> setP99 = new ArrayList<>();
        List<Double> getP99 = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        List<Double> batched = new ArrayList<>();
        List<Double> stalled = new ArrayList<>();
        List<Double> stalls = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        try (m) {
            for (int r = 0; r < REPS; r++) {
                Pipe pipe = Pipe.open(false);
                Connection out = pipe.right();
                ChildProcess p = new ChildProcess(() -> child(d, n, out));
                p.start();
                out.close();
                long[] sets = pipe.left().recv();
                long[] gets = pipe.left().recv();
                double batchRate = pipe.left().recv();
                long cpuNanos = pipe.left().recv();
                p.join(Duration.ofSeconds(120));
                pipe.left().close();
                setMeds.add(median(us(sets)));
                getMeds.add(median(us(gets)));
                setP99.add(percentile(us(sets), 99));
                getP99.add(percentile(us(gets), 99));
                long sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += sets[i] + gets[i];
                }
                rates.add(2.0 * n / (sum / 1e9));
                long slow = 0;
                int slowCalls = 0;
                for (int i = 0; i < n; i++) {
                    for (long x : new long[] {sets[i], gets[i]}) {
                        if (x > 1_000_000) {
                            slow += x;
                            slowCalls++;
                        }
                    }
                }
                stalled.add(slow / 1e6);
                stalls.add((double) slowCalls);
                cpu.add(cpuNanos < 0 ? -1 : cpuNanos / 1e3 / (2.0 * n));
                batched.add(batchRate);
            }
            if (d.get("k1") != n - 99) {
                throw new IllegalStateException("d[k1]=" + d.get("k1") + " expected=" + (n - 99));
            }
        }
        Object[] common = {"n_each", n, "reps", REPS, "start_method", method, "transport", "pipe"};
        emit(BENCH, "set_rtt_median", median(setMeds), "us", cat(common, "rep_values", r3(setMeds), "p99",
                median(setP99)));
        emit(BENCH, "get_rtt_median", median(getMeds), "us", cat(common, "rep_values", r3(getMeds), "p99",
                median(getP99)));
        emit(BENCH, "set_get_ops_per_s", median(rates), "ops/s", cat(common, "rep_values", r3(rates), "note",
                "2n / summed per-op time (timer overhead included)"));
        emit(BENCH, "batched_set_ops_per_s", median(batched), "ops/s", cat(common, "rep_values", r3(batched),
                "note", "n puts through Manager.batch(), 100 per round trip"));
        emit(BENCH, "set_get_stalled_ms", median(stalled), "ms", cat(common, "rep_values", r3(stalled), "calls",
                stalls, "note", "summed time of the timed calls over 1 ms each"));
        emit(BENCH, "child_cpu_us_per_call", median(cpu), "us", cat(common, "rep_values", r3(cpu), "note",
                "the child's thread CPU over the timed calls, per call (spin-waiting included)"));
        return 0;
    }

    private static void child(ConcurrentMap<String, Integer> d, int n, Connection out)
            throws Exception {
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = "k" + (i % 100);
        }
        for (int i = 0; i < Math.min(500, n); i++) {
            d.put(keys[i], 0);
            d.get(keys[i]);
        }
        long[] sets = new long[n];
        long[] gets = new long[n];
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime(); // -1 where unsupported
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            d.put(keys[i], i);
            sets[i] = System.nanoTime() - t;
        }
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            d.get(keys[i]);
            gets[i] = System.nanoTime() - t;
        }
        long cpu1 = threads.getCurrentThreadCpuTime();
        out.send(sets);
        out.send(gets);
        out.send(batched(d, keys));
        out.send(cpu0 < 0 ? -1L : cpu1 - cpu0);
        out.close();
    }

    /** n puts of the same keys and values through a Batch, 100 per round trip; leaves d as the plain loop did. */
    private static double batched(ConcurrentMap<String, Integer> d, String[] keys) {
        Batch b = Batch.on(d);
        ConcurrentMap<String, Integer> bd = b.of(d);
        long t = System.nanoTime();
        for (int i = 0; i < keys.length; i++) {
            bd.put(keys[i], i);
            if (b.size() == 100) {
                b.run();
            }
        }
        b.run();
        return keys.length / ((System.nanoTime() - t) / 1e9);
    }

    private static List<Double> us(long[] nanos) {
        List<Double> xs = new ArrayList<>(nanos.length);
        for (long x : nanos) {
            xs.add(x / 1e3);
        }
        return xs;
    }

    private static List<Double> r3(List<Double> xs) {
        List<Double> out = new ArrayList<>();
        for (double x : xs) {
            out.add(Math.round(x * 1000) / 1000.0);
        }
        return out;
    }

    private static Object[] cat(Object[] a, Object... b) {
        Object[] out = new Object[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
