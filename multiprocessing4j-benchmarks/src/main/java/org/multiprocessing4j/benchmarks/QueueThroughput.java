package org.multiprocessing4j.benchmarks;

import static org.multiprocessing4j.benchmarks.Common.emit;
import static org.multiprocessing4j.benchmarks.Common.median;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.queue.ProcessQueue;
import org.multiprocessing4j.queue.SimpleProcessQueue;
import org.multiprocessing4j.sync.ProcessBarrier;

/**
 * queue_throughput, the twin of {@code ../shared/bench/python/queue_throughput.py}: a {@link ProcessQueue}, P producer
 * processes to C consumer processes, end-to-end messages/s.
 *
 * <pre>
 * Metrics (the Python names; counts as in Python, scaled by MPBENCH_SCALE; median of 3 after a warm-up run of n/20):
 *   1p1c_int_msgs_per_s      1 producer, 1 consumer, n (100k) ints (i &amp; 0xFF)
 *   2p2c_int_msgs_per_s      2 producers x n/2, 2 consumers
 *   1p1c_1KiB_msgs_per_s     1 producer, 1 consumer, n (60k) byte[1024]
 *   1p1c_1KiB_MB_per_s       the same in MB/s of payload (MB = 1e6)
 * Measured as Python measures them: every run has fresh worker processes (child JVMs with default flags), which
 * do nothing before the barrier but start; the only warm-up is the parent's one untimed whole run of n/20 before
 * the timed ones, with its own fresh workers. So these figures include what a fresh JVM pays in the timed window:
 * interpreted and C1 code, compilations, the first touch of heap and ring pages.
 * Timing as in Python: every worker starts and waits at a ProcessBarrier with the parent; t0 = the parent passes
 * it; each consumer records System.nanoTime() (CLOCK_MONOTONIC, comparable across processes) when it gets its stop
 * sentinel (Boolean.FALSE: a queue refuses null); elapsed = the latest consumer end - t0. Unlike Python, t0 is the
 * earliest of the parent's and the producers' own times after the barrier: on a loaded 2-core machine the parent
 * may be scheduled only after a short run has ended (a negative time was seen); this only lengthens elapsed. Each
 * producer puts n/P items then one sentinel; each consumer stops at its first sentinel; the consumers' counts are
 * checked. The parent arrives at the barrier 0.8 s after starting the workers, once the JVMs made ready in the
 * background (to replace those the workers took) have started; the workers only wait meanwhile.
 * Extra metrics:
 *   &lt;name&gt;_warm_workers       the same runs, each worker warmed up before the barrier (steady state of compiled
 *                              code, not what Python measures): its own loop methods, 800 x 256 items through a
 *                              private queue, so that the chunk methods (256 items a call) are compiled by C2; then
 *                              SHARED_ROUNDS rounds of the run itself, untimed, through a second queue, all workers
 *                              starting each round at a barrier of their own (the private queue never shows the
 *                              compiled code a lock released by another process, a waiting peer or an empty queue:
 *                              without these rounds C2's code for put, take, the locks and the wakes hit uncommon
 *                              traps at their first contention and was recompiled in the timed window); then each
 *                              consumer allocates until its young generation was collected once (touchHeap: its
 *                              heap pages are then faulted in). params name what was warmed.
 *   idle_consumer_wake_latency_median   us from put() in the parent to the return of take() in a child consumer
 *                                       that has parked (200 rounds, 5 ms apart), with p10 and p90: a fresh
 *                                       child's first waits, partly before its wait path is compiled
 *   idle_consumer_wake_latency_median_steady   the same over rounds 801-1000 of that consumer
 *   idle_consumer_round_trip_median[_steady]   us from that put() to the return of the parent's take() of the
 *                                       consumer's answer (through a second queue): a request to an idle process
 *   idle_consumer_cpu_percent           CPU of a child JVM whose only work is a take() on an empty queue, over 2 s
 * Every throughput record carries, in params, the CPU each worker used in the timed window (medians over the timed
 * runs of the workers' mean, ms; Linux /proc schedstat): worker_thread_cpu_ms of its main thread, worker_process_cpu_ms
 * of its whole JVM (compiler and GC threads included). The readings begin just before the barrier, so the wait at
 * the barrier counts too: read after it, in the timed window, they cost a fresh JVM 1-5 ms before its first item
 * (reading /proc/self/task/N/schedstat for each of its ~20 threads, interpreted, and compiling that code).
 * </pre>
 */
final class QueueThroughput {
    static final String BENCH = "queue_throughput";
    private static final byte[] KIB = filled();
    private static final Boolean STOP = Boolean.FALSE;
    /** The timed loops run in chunks, so that the methods that hold the loops are compiled by invocation count. */
    private static final int CHUNK = 256;
    /**
     * Warm-up of the _warm_workers variant: 800 calls of each chunk method, enough for C2 to compile them, in rounds
     * that fit the queue's ring (the worker puts a round, then takes it).
     */
    private static final int WARMUP_CALLS = 800;
    private static final long SETTLE_MILLIS = 800;
    /** Untimed rounds of the run's own shape before the barrier of the _warm_workers variant (see the class
     *  comment): the second finds C2's code recompiled for contention by the first. */
    private static final int SHARED_ROUNDS = 2;
    private static final String WARM = "_warm_workers";

    private QueueThroughput() {
    }

    private static byte[] filled() {
        byte[] b = new byte[1024];
        Arrays.fill(b, (byte) 0xa5);
        return b;
    }

    static int run(String[] args) {
        List<String> which = args.length > 0 ? Arrays.asList(args) : List.of("1p1c_int", "2p2c_int", "1p1c_1KiB",
                "idle", "1p1c_int" + WARM, "2p2c_int" + WARM, "1p1c_1KiB" + WARM);
        try {
            for (boolean warm : new boolean[] {false, true}) {
                String suffix = warm ? WARM : "";
                if (which.contains("1p1c_int" + suffix)) {
                    bench("1p1c_int", Common.scale(100_000, 1000), 1, 1, false, 3, warm);
                }
                if (which.contains("2p2c_int" + suffix)) {
                    bench("2p2c_int", Common.scale(100_000, 1000), 2, 2, false, 3, warm);
                }
                if (which.contains("1p1c_1KiB" + suffix)) {
                    bench("1p1c_1KiB", Common.scale(60_000, 1000), 1, 1, true, 3, warm);
                }
                if (!warm && which.contains("idle")) {
                    idleConsumer();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return 0;
    }

    // ---- the workers (static, so the lambdas capture only values) -----------------------------------------------

    /** What a worker of one run is given: the queues and barriers, and whether to warm up before the barrier. */
    record Run(ProcessQueue<Object> q, ProcessBarrier barrier, boolean kib, SimpleProcessQueue<Object> out,
            ProcessQueue<Object> warm, ProcessBarrier warmBarrier) implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        boolean warmed() {
            return warm != null;
        }
    }

    static void producer(Run run, int n) throws Exception {
        if (run.warmed()) {
            warmUp(run.kib());
            for (int r = 0; r < SHARED_ROUNDS; r++) {
                run.warmBarrier().await();
                putLoop(run.warm(), n, run.kib());
            }
        }
        // read before the barrier: in the timed window, reading /proc took a fresh JVM 1-5 ms and compilations
        long cpu = threadCpuNanos();
        long pcpu = processCpuNanos();
        run.barrier().await();
        long start = System.nanoTime();
        putLoop(run.q(), n, run.kib());
        long cpuEnd = threadCpuNanos();
        long pcpuEnd = processCpuNanos();
        run.out().put(new long[] {-1, start, cpuEnd - cpu, pcpuEnd - pcpu});
    }

    static void consumer(Run run) throws Exception {
        if (run.warmed()) {
            warmUp(run.kib());
            for (int r = 0; r < SHARED_ROUNDS; r++) {
                run.warmBarrier().await(); // each consumer took one sentinel of the round before: none is left
                takeLoop(run.warm());
            }
            touchHeap();
        }
        long cpu = threadCpuNanos(); // before the barrier, as in producer()
        long pcpu = processCpuNanos();
        run.barrier().await();
        long count = takeLoop(run.q());
        long end = System.nanoTime();
        long cpuEnd = threadCpuNanos();
        long pcpuEnd = processCpuNanos();
        run.out().put(new long[] {count, end, cpuEnd - cpu, pcpuEnd - pcpu});
    }

    /** @return CPU time of the calling thread (Linux: /proc/thread-self/schedstat), or -1 */
    static long threadCpuNanos() {
        return schedstat(java.nio.file.Path.of("/proc/thread-self/schedstat"));
    }

    /** @return CPU time of this process, all its threads (Linux: /proc/self/task/N/schedstat summed), or -1 */
    static long processCpuNanos() {
        long sum = 0;
        try (java.nio.file.DirectoryStream<java.nio.file.Path> tasks = java.nio.file.Files.newDirectoryStream(
                java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path t : tasks) {
                long ns = schedstat(t.resolve("schedstat"));
                sum += Math.max(0, ns); // a thread may have ended meanwhile
            }
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        return sum;
    }

    private static long schedstat(java.nio.file.Path p) {
        try {
            String s = java.nio.file.Files.readString(p);
            return Long.parseLong(s.substring(0, s.indexOf(' ')));
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void warmUp(boolean kib) throws InterruptedException {
        ProcessQueue<Object> scratch = new ProcessQueue<>();
        int chunks = kib ? 8 : 40;
        for (int w = 0; w < WARMUP_CALLS / chunks; w++) {
            putLoop(scratch, chunks * CHUNK, kib);
            takeLoop(scratch);
        }
    }

    /**
     * Allocates until the young generation has been collected once, so that the timed loop allocates into heap
     * pages the JVM has touched before (a fresh JVM's first touch of a page costs a fault: ~0.23 GB/s here), as a
     * CPython process reuses the memory it freed. Untimed, like the JIT warm-up; _warm_workers only.
     */
    static void touchHeap() {
        long before = gcCount();
        byte[][] keep = new byte[4][];
        for (int i = 0; i < 4096 && gcCount() == before; i++) {
            keep[i & 3] = new byte[1 << 20];
        }
    }

    private static long gcCount() {
        long n = 0;
        for (java.lang.management.GarbageCollectorMXBean gc
                : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static void putLoop(ProcessQueue<Object> q, int n, boolean kib) throws InterruptedException {
        for (int done = 0; done < n; done += CHUNK) {
            putChunk(q, done, Math.min(CHUNK, n - done), kib);
        }
        q.put(STOP);
    }

    private static void putChunk(ProcessQueue<Object> q, int from, int count, boolean kib)
            throws InterruptedException {
        if (kib) {
            for (int i = 0; i < count; i++) {
                q.put(KIB);
            }
        } else {
            for (int i = from; i < from + count; i++) {
                q.put(i & 0xFF);
            }
        }
    }

    private static long takeLoop(ProcessQueue<Object> q) throws InterruptedException {
        long count = 0;
        for (;;) {
            int got = takeChunk(q);
            if (got < 0) {
                return count - got - 1;
            }
            count += got;
        }
    }

    /** @return items taken, or -(items + 1) if the stop sentinel came */
    private static int takeChunk(ProcessQueue<Object> q) throws InterruptedException {
        for (int i = 0; i < CHUNK; i++) {
            if (STOP.equals(q.take())) {
                return -(i + 1);
            }
        }
        return CHUNK;
    }

    // ---- the parent ---------------------------------------------------------------------------------------------

    /** One run's result: elapsed seconds, and the workers' mean CPU in the timed window (ms). */
    private record Result(double seconds, double threadCpuMs, double processCpuMs) {
    }

    private static Result oneRun(int n, int nprod, int ncons, boolean kib, boolean warm) throws InterruptedException {
        SimpleProcessQueue<Object> out = new SimpleProcessQueue<>();
        ProcessBarrier barrier = new ProcessBarrier(nprod + ncons + 1);
        Run run = new Run(new ProcessQueue<>(), barrier, kib, out, warm ? new ProcessQueue<>() : null,
                warm ? new ProcessBarrier(nprod + ncons) : null);
        int per = n / nprod;
        List<ChildProcess> procs = new ArrayList<>();
        for (int i = 0; i < nprod; i++) {
            procs.add(new ChildProcess(() -> producer(run, per)));
        }
        for (int i = 0; i < ncons; i++) {
            procs.add(new ChildProcess(() -> consumer(run)));
        }
        try {
            for (ChildProcess p : procs) {
                p.start();
            }
            Thread.sleep(SETTLE_MILLIS);
            try {
                barrier.await();
            } catch (BrokenBarrierException e) {
                throw new IllegalStateException("a worker failed before the start (see its stderr)", e);
            }
            long t0 = System.nanoTime();
            long total = 0;
            long end = 0;
            long cpu = 0;
            long pcpu = 0;
            for (int i = 0; i < nprod + ncons; i++) {
                long[] o = (long[]) out.take();
                if (o[0] < 0) {
                    t0 = Math.min(t0, o[1]);
                } else {
                    total += o[0];
                    end = Math.max(end, o[1]);
                }
                cpu += o[2];
                pcpu += o[3];
            }
            for (ChildProcess p : procs) {
                p.join();
                if (p.exitCode() != 0) {
                    throw new IllegalStateException("a worker failed: " + p + " exitCode=" + p.exitCode());
                }
            }
            if (total != (long) per * nprod) {
                throw new IllegalStateException("consumers counted " + total + " items, expected " + per * nprod);
            }
            int workers = nprod + ncons;
            return new Result((end - t0) / 1e9, cpu / 1e6 / workers, pcpu / 1e6 / workers);
        } finally {
            for (ChildProcess p : procs) {
                if (p.isAlive()) {
                    p.kill();
                    p.join();
                }
            }
        }
    }

    private static void bench(String name, int n, int nprod, int ncons, boolean kib, int reps, boolean warm)
            throws InterruptedException {
        oneRun(Math.max(1000, n / 20), nprod, ncons, kib, warm);
        List<Double> rates = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> pcpu = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            Result res = oneRun(n, nprod, ncons, kib, warm);
            rates.add(n / res.seconds());
            cpu.add(res.threadCpuMs());
            pcpu.add(res.processCpuMs());
        }
        String sm = Multiprocessing.getStartMethod().name().toLowerCase();
        String payload = kib ? "1KiB" : "int";
        String suffix = warm ? WARM : "";
        List<Object> params = new ArrayList<>(List.of("producers", nprod, "consumers", ncons, "payload", payload,
                "n_msgs", n, "reps", reps));
        if (warm) {
            params.addAll(List.of("warmup_in_worker_items", WARMUP_CALLS * CHUNK, "warmup_rounds_shared",
                    SHARED_ROUNDS, "consumer_heap_touched", true));
        } else {
            params.addAll(List.of("fresh_workers", true, "warmup", "one untimed run of n/20, fresh workers"));
        }
        params.addAll(List.of("worker_thread_cpu_ms", Common.median(cpu), "worker_process_cpu_ms",
                Common.median(pcpu), "start_method", sm));
        List<Object> rateParams = new ArrayList<>(params);
        rateParams.addAll(List.of("rep_values", PipePingpong.round(rates)));
        emit(BENCH, name + "_msgs_per_s" + suffix, median(rates), "msg/s", rateParams.toArray());
        if (kib) {
            List<Object> mbParams = new ArrayList<>(List.of("note", "payload bytes only, MB=1e6"));
            mbParams.addAll(params);
            emit(BENCH, name + "_MB_per_s" + suffix, median(rates) * 1024 / 1e6, "MB/s", mbParams.toArray());
        }
    }

    // ---- idle consumer ------------------------------------------------------------------------------------------

    static void idleTaker(ProcessQueue<Object> q, SimpleProcessQueue<Object> back, int rounds) throws Exception {
        long[] lat = new long[rounds];
        back.put("ready");
        for (int i = 0; i < rounds; i++) {
            long sent = (Long) q.take();
            lat[i] = System.nanoTime() - sent;
            back.put("ack");
        }
        back.put(lat);
    }

    private static void idleConsumer() throws InterruptedException {
        String sm = Multiprocessing.getStartMethod().name().toLowerCase();
        int rounds = Common.scale(200, 20);
        int total = 5 * rounds;
        ProcessQueue<Object> q = new ProcessQueue<>();
        SimpleProcessQueue<Object> back = new SimpleProcessQueue<>();
        ChildProcess p = new ChildProcess(() -> idleTaker(q, back, total));
        p.start();
        try {
            back.take();
            Thread.sleep(1000); // the ready JVM that replaces this one starts in the background meanwhile
            double cpu = Common.cpuPercent(p.pid(), 2000);
            if (!Double.isNaN(cpu)) {
                emit(BENCH, "idle_consumer_cpu_percent", cpu, "%", "seconds", 2, "note",
                        "CPU of a child JVM whose only work is take() on an empty ProcessQueue (JVM housekeeping "
                                + "included)", "start_method", sm);
            }
            long[] roundTrips = new long[total];
            for (int i = 0; i < total; i++) {
                Thread.sleep(5); // the consumer has parked by now
                long sent = System.nanoTime();
                q.put(sent);
                if (back.take() == null) {
                    throw new IllegalStateException("no ack");
                }
                roundTrips[i] = System.nanoTime() - sent;
            }
            List<Double> all = Common.micros((long[]) back.take());
            p.join();
            Common.emitFirstAndSteady(BENCH, "idle_consumer_wake_latency_median", all, rounds,
                    "put() in the parent to the return of take() in a parked child consumer", "start_method", sm);
            Common.emitFirstAndSteady(BENCH, "idle_consumer_round_trip_median", Common.micros(roundTrips), rounds,
                    "put() in the parent to the return of its take() of the parked consumer's answer (a second "
                            + "queue)", "start_method", sm);
        } finally {
            if (p.isAlive()) {
                p.kill();
                p.join();
            }
        }
    }
}
