package org.multiprocessing4j.benchmarks;

import static org.multiprocessing4j.benchmarks.Common.emit;
import static org.multiprocessing4j.benchmarks.Common.median;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.function.SerializableRunnable;
import org.multiprocessing4j.shared.SharedInt;
import org.multiprocessing4j.shared.SharedLong;
import org.multiprocessing4j.shared.SharedLongArray;
import org.multiprocessing4j.shared.SharedMemory;
import org.multiprocessing4j.sync.ProcessBarrier;
import org.multiprocessing4j.sync.ProcessEvent;
import org.multiprocessing4j.sync.ProcessLock;
import org.multiprocessing4j.sync.ProcessReentrantLock;

/**
 * shared_value_lock, the twin of {@code ../shared/bench/python/shared_value_lock.py}.
 *
 * <pre>
 * Metrics (the Python names first; counts as in Python, scaled by MPBENCH_SCALE):
 *   contended_value_increments_per_s   2 child processes x n (200k) increments of a SharedInt under its lock();
 *                                      both wait at a ProcessBarrier (the parent arrives 0.8 s after starting them,
 *                                      once the ready pool has refilled); t0 = the parent passes it; end = the latest
 *                                      of the workers' own finish times; median of 3 after a warm-up with n/10
 *   contended_final_count_correct      the final value is exactly 2 n in every repetition
 *   uncontended_lock_acquire_release_pairs_per_s   ProcessLock lock(); unlock(), m (1M) times, median of 3
 *   uncontended_lock_with_pairs_per_s  the same as lock(); try { } finally { unlock(); } (Python's "with lock")
 *   uncontended_value_increments_per_s a SharedInt incremented under its lock() by one process, k (500k) times
 * Extra metrics:
 *   contended_atomic_increments_per_s  2 processes x n SharedInt.incrementAndGet(), no lock; timed from the first
 *                                      worker's start after the barrier to the last one's end (their ~1 ms of work
 *                                      is over before the parent wakes from the barrier, so the parent's t0 is late)
 *   contended_spinlock_floor_increments_per_s      the floor: a bare test-and-set spin lock on mapped memory
 *                                      (SharedMemory + VarHandle) around a plain increment, 2 processes x n
 *   uncontended_spinlock_floor_pairs_per_s         that spin lock's lock/unlock pairs in one process
 *   idle_waiter_wake_latency_median    us from ProcessEvent.set() to a parked waiter's return in a child (200 rounds,
 *                                      5 ms apart so that the waiter has parked), with p10 and p90: a fresh
 *                                      child's first waits, partly before its wait path is compiled
 *   idle_waiter_wake_latency_median_steady         the same over rounds 801-1000 of that waiter
 *   idle_waiter_cpu_percent            CPU of a child JVM idling in ProcessEvent.await() over 2 s
 * Order: the single-process loops first, before any child JVM exists (a JVM being made ready in the background
 * would compete for the CPU), then the contended runs, then the idle waiter. The uncontended loops are all warmed up twice with a tenth of their count before any is timed (JIT
 * compilation), recorded in params as warmup; the contended workers warm up before the barrier (SharedValueTargets).
 * </pre>
 */
final class SharedValueLock {
    static final String BENCH = "shared_value_lock";
    private static final int NPROC = 2;
    private static final long SETTLE_MILLIS = 800;

    private SharedValueLock() {
    }

    static int run(String[] args) {
        if (args.length > 0) {
            throw new Bench.Usage("shared_value_lock takes no arguments");
        }
        try {
            runAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return 0;
    }

    private static void runAll() throws InterruptedException {
        String sm = Multiprocessing.getStartMethod().name().toLowerCase();
        int m = Common.scale(1_000_000, 1000);
        ProcessLock lock = new ProcessLock();
        SharedInt v = new SharedInt(0);
        ProcessReentrantLock vl = v.lock();
        int k = Common.scale(500_000, 1000);
        // warm-up of every uncontended loop before any is timed, so each runs fully compiled code
        for (int w = 0; w < 2; w++) {
            pairs(lock, m / 10);
            withPairs(lock, m / 10);
            valueIncrements(v, vl, k / 10);
        }
        List<Double> pairs = new ArrayList<>();
        for (int rep = 0; rep < 3; rep++) {
            int count = m;
            long dt = pairs(lock, count);
            pairs.add(count / (dt / 1e9));
        }
        emit(BENCH, "uncontended_lock_acquire_release_pairs_per_s", median(pairs), "pairs/s", "n", m, "reps", 3,
                "rep_values", r3(pairs), "form", "lock.lock(); lock.unlock()", "warmup", 2 * m / 10, "start_method", sm);
        pairs.clear();
        for (int rep = 0; rep < 3; rep++) {
            int count = m;
            long dt = withPairs(lock, count);
            pairs.add(count / (dt / 1e9));
        }
        emit(BENCH, "uncontended_lock_with_pairs_per_s", median(pairs), "pairs/s", "n", m, "reps", 3,
                "rep_values", r3(pairs), "form", "lock.lock(); try { } finally { lock.unlock(); }", "warmup", 2 * m / 10,
                "start_method", sm);

        List<Double> rates = new ArrayList<>();
        v.set(0);
        for (int rep = 0; rep < 3; rep++) {
            int count = k;
            long dt = valueIncrements(v, vl, count);
            rates.add(count / (dt / 1e9));
        }
        emit(BENCH, "uncontended_value_increments_per_s", median(rates), "incr/s", "n", k, "reps", 3,
                "rep_values", r3(rates), "warmup", 2 * k / 10, "start_method", sm);

        try (SharedMemory block = SharedMemory.create(128)) {
            ByteBuffer b = block.buffer();
            pairs.clear();
            for (int rep = -1; rep < 3; rep++) {
                int count = rep < 0 ? m / 10 : m;
                long dt = spinPairs(b, count);
                if (rep >= 0) {
                    pairs.add(count / (dt / 1e9));
                }
            }
            block.unlink();
        }
        emit(BENCH, "uncontended_spinlock_floor_pairs_per_s", median(pairs), "pairs/s", "n", m, "reps", 3,
                "rep_values", r3(pairs), "floor", true, "warmup", m / 10, "start_method", sm);

        // children from here on: the single-process loops above ran before any JVM was started or made ready
        int n = Common.scale(200_000, 1000);
        contended("contended_value_increments_per_s", "contended_final_count_correct", n, sm, Kind.LOCKED);
        contended("contended_atomic_increments_per_s", "contended_atomic_final_count_correct", n, sm, Kind.ATOMIC);
        contended("contended_spinlock_floor_increments_per_s", "contended_spinlock_floor_final_count_correct", n,
                sm, Kind.SPIN);

        Thread.sleep(1000); // let the JVMs made ready in the background finish starting
        idleWaiter(sm);
    }

    /** Wake-up latency of a parked waiter in another process, and the CPU an idle waiter burns. */
    private static void idleWaiter(String sm) throws InterruptedException {
        int rounds = Common.scale(200, 20);
        int total = 5 * rounds;
        ProcessEvent ping = new ProcessEvent();
        ProcessEvent pong = new ProcessEvent();
        SharedLong sentAt = new SharedLong(0);
        SharedLongArray latencies = new SharedLongArray(total);
        ChildProcess p = new ChildProcess(SharedValueTargets.idleWaiter(ping, pong, sentAt, latencies));
        p.start();
        try {
            Thread.sleep(1000); // the ready JVM that replaces this one starts in the background meanwhile
            for (int i = 0; i < total; i++) {
                Thread.sleep(5); // the waiter has parked by now
                sentAt.set(System.nanoTime());
                ping.set();
                if (!pong.await(java.time.Duration.ofSeconds(30))) {
                    throw new IllegalStateException("the idle waiter did not answer: " + p);
                }
                pong.clear();
            }
            p.join();
        } finally {
            if (p.isAlive()) {
                p.kill();
                p.join();
            }
        }
        List<Double> all = new ArrayList<>();
        for (long ns : latencies.toArray()) {
            all.add(ns / 1e3);
        }
        List<Double> us = all.subList(0, rounds);
        emit(BENCH, "idle_waiter_wake_latency_median", median(us), "us", "n", rounds, "p10",
                Common.percentile(us, 10), "p90", Common.percentile(us, 90), "note",
                "ProcessEvent.set() in the parent to the return of await() in a parked child", "start_method", sm);
        List<Double> steady = all.subList(total - rounds, total);
        emit(BENCH, "idle_waiter_wake_latency_median_steady", median(steady), "us", "n", rounds, "after",
                total - rounds, "p10", Common.percentile(steady, 10), "p90", Common.percentile(steady, 90), "note",
                "the same waiter's later waits", "start_method", sm);

        ProcessEvent ready = new ProcessEvent();
        ProcessEvent done = new ProcessEvent();
        ChildProcess w = new ChildProcess(SharedValueTargets.foreverWaiter(ready, done));
        w.start();
        try {
            ready.await();
            Thread.sleep(300);
            ProcessHandle h = ProcessHandle.of(w.pid()).orElseThrow();
            long cpu0 = h.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
            long t0 = System.nanoTime();
            Thread.sleep(2000);
            long cpu1 = h.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
            long dt = System.nanoTime() - t0;
            if (cpu0 >= 0 && cpu1 >= 0) {
                emit(BENCH, "idle_waiter_cpu_percent", 100.0 * (cpu1 - cpu0) / dt, "%", "seconds", 2,
                        "note", "CPU of a child JVM whose only work is a ProcessEvent.await() (JVM housekeeping"
                                + " included)", "start_method", sm);
            }
            done.set();
            w.join();
        } finally {
            if (w.isAlive()) {
                w.kill();
                w.join();
            }
        }
    }

    // Each timed loop is a method of its own, so that after the warm-up pass it runs as a normally compiled
    // method rather than through on-stack replacement of runAll.

    private static long pairs(ProcessLock lock, int count) {
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            lock.lock();
            lock.unlock();
        }
        return System.nanoTime() - t0;
    }

    private static long withPairs(ProcessLock lock, int count) {
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            lock.lock();
            try {
                // nothing: Python's "with lock: pass"
            } finally {
                lock.unlock();
            }
        }
        return System.nanoTime() - t0;
    }

    private static long valueIncrements(SharedInt v, ProcessReentrantLock vl, int count) {
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            vl.lock();
            try {
                v.set(v.get() + 1);
            } finally {
                vl.unlock();
            }
        }
        return System.nanoTime() - t0;
    }

    private static long spinPairs(ByteBuffer b, int count) {
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            SharedValueTargets.spinLock(b);
            SharedValueTargets.INT.setRelease(b, SharedValueTargets.SPIN_WORD, 0);
        }
        return System.nanoTime() - t0;
    }

    private enum Kind { LOCKED, ATOMIC, SPIN }

    private static void contended(String metric, String correctMetric, int n, String sm, Kind kind)
            throws InterruptedException {
        once(n / 10, kind); // warm-up
        List<Double> rates = new ArrayList<>();
        List<Long> finals = new ArrayList<>();
        for (int rep = 0; rep < 3; rep++) {
            double[] result = once(n, kind);
            rates.add(n * NPROC / result[0]);
            finals.add((long) result[1]);
        }
        boolean ok = finals.stream().allMatch(f -> f == (long) n * NPROC);
        emit(BENCH, metric, median(rates), "incr/s", "procs", NPROC, "incr_per_proc", n, "reps", 3, "rep_values",
                r3(rates), "start_method", sm, "floor", kind == Kind.SPIN);
        emit(BENCH, correctMetric, ok, "bool", "expected", (long) n * NPROC, "finals", finals, "start_method", sm);
    }

    /** @return {seconds, final count} */
    private static double[] once(int n, Kind kind) throws InterruptedException {
        SharedInt v = new SharedInt(0);
        ProcessBarrier barrier = new ProcessBarrier(NPROC + 1);
        SharedLongArray ends = new SharedLongArray(NPROC);
        SharedLongArray starts = new SharedLongArray(NPROC);
        SharedMemory block = kind == Kind.SPIN ? SharedMemory.create(128) : null;
        SharedValueTargets.Warmup warmup = new SharedValueTargets.Warmup(NPROC);
        List<ChildProcess> ps = new ArrayList<>();
        try {
            for (int i = 0; i < NPROC; i++) {
                SerializableRunnable target = kind == Kind.LOCKED
                        ? SharedValueTargets.lockedIncrements(v, warmup, barrier, ends, i, n)
                        : kind == Kind.ATOMIC
                        ? SharedValueTargets.atomicIncrements(v, warmup, barrier, starts, ends, i, n)
                        : SharedValueTargets.spinLockIncrements(block, warmup, barrier, ends, i, n);
                ChildProcess p = new ChildProcess(target);
                p.start();
                ps.add(p);
            }
            // the workers warm up and wait at the barrier; meanwhile the JVMs that replace the two taken from the
            // ready pool finish starting, so they do not compete for the CPU with the timed loops
            Thread.sleep(SETTLE_MILLIS);
            barrier.await();
            long t0 = System.nanoTime();
            for (ChildProcess p : ps) {
                p.join();
                if (p.exitCode() == null || p.exitCode() != 0) {
                    throw new IllegalStateException("a worker failed: " + p);
                }
            }
            long end = Long.MIN_VALUE;
            for (int i = 0; i < NPROC; i++) {
                end = Math.max(end, ends.get(i));
                if (kind == Kind.ATOMIC) {
                    t0 = i == 0 ? starts.get(i) : Math.min(t0, starts.get(i));
                }
            }
            long count = kind == Kind.SPIN ? block.buffer().getInt(SharedValueTargets.SPIN_COUNTER) : v.get();
            return new double[] {(end - t0) / 1e9, count};
        } catch (java.util.concurrent.BrokenBarrierException e) {
            throw new IllegalStateException("a worker broke the barrier", e);
        } finally {
            for (ChildProcess p : ps) {
                if (p.isAlive()) {
                    p.kill();
                    p.join();
                }
            }
            if (block != null) {
                block.unlink();
                block.close();
            }
            warmup.close();
        }
    }

    private static List<Double> r3(List<Double> xs) {
        List<Double> out = new ArrayList<>();
        for (double x : xs) {
            out.add(Common.round6(x));
        }
        return out;
    }
}
