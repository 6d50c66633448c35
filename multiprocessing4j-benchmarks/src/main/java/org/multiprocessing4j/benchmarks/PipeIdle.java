package org.multiprocessing4j.benchmarks;

import static org.multiprocessing4j.benchmarks.Common.emit;
import static org.multiprocessing4j.benchmarks.Common.median;

import java.io.IOException;
import java.util.List;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.connection.Connection;
import org.multiprocessing4j.connection.Pipe;

/**
 * The idle metrics of pipe_pingpong (no Python twin): how soon a receiver that has gone to sleep in
 * {@code recv()} wakes, and what it costs while it sleeps; measured as queue_throughput's idle consumer.
 *
 * <pre>
 *   idle_receiver_wake_latency_median   us from send() in the parent to the return of recv() in a child that has
 *                                       blocked (200 rounds, 5 ms apart), with p10 and p90: a fresh child's first
 *                                       waits, partly before its wait path is compiled
 *   idle_receiver_wake_latency_median_steady   the same over rounds 801-1000 of that child: an idle receiver
 *                                       that has waited before
 *   idle_receiver_cpu_percent           CPU of a child JVM whose only work is a recv() on a silent Pipe, over 2 s
 * </pre>
 */
final class PipeIdle {
    private PipeIdle() {
    }

    /** The child: answers each timestamp with an ack, then sends the latencies it saw; first, "ready". */
    static void idleReceiver(Connection c, int rounds) throws IOException {
        long[] lat = new long[rounds];
        c.send("ready");
        for (int i = 0; i < rounds; i++) {
            long sent = (Long) c.recv();
            lat[i] = System.nanoTime() - sent;
            c.send("ack");
        }
        c.send(lat);
        c.close();
    }

    static void run() throws Exception {
        String sm = Multiprocessing.getStartMethod().name().toLowerCase();
        int rounds = Common.scale(200, 20);
        int total = 5 * rounds;
        Pipe pipe = Pipe.open();
        Connection child = pipe.right();
        ChildProcess p = new ChildProcess(() -> idleReceiver(child, total));
        p.start();
        child.close();
        Connection c = pipe.left();
        try {
            c.recv();
            Thread.sleep(1000); // the ready JVM that replaces this one starts in the background meanwhile
            double cpu = Common.cpuPercent(p.pid(), 2000);
            if (!Double.isNaN(cpu)) {
                emit(PipePingpong.BENCH, "idle_receiver_cpu_percent", cpu, "%", "seconds", 2, "note",
                        "CPU of a child JVM whose only work is recv() on a silent Pipe (JVM housekeeping included)",
                        "start_method", sm);
            }
            for (int i = 0; i < total; i++) {
                Thread.sleep(5); // the receiver has blocked by now
                c.send(System.nanoTime());
                if (!"ack".equals(c.recv())) {
                    throw new IllegalStateException("no ack");
                }
            }
            List<Double> all = Common.micros((long[]) c.recv());
            p.join();
            List<Double> us = all.subList(0, rounds);
            emit(PipePingpong.BENCH, "idle_receiver_wake_latency_median", median(us), "us", "n", rounds, "p10",
                    Common.percentile(us, 10), "p90", Common.percentile(us, 90), "note",
                    "send() in the parent to the return of recv() in a blocked child", "start_method", sm,
                    "transport", "Pipe(duplex) shared-memory rings");
            List<Double> steady = all.subList(total - rounds, total);
            emit(PipePingpong.BENCH, "idle_receiver_wake_latency_median_steady", median(steady), "us", "n", rounds,
                    "after", total - rounds, "p10", Common.percentile(steady, 10), "p90",
                    Common.percentile(steady, 90), "note", "the same child's later waits", "start_method", sm,
                    "transport", "Pipe(duplex) shared-memory rings");
        } finally {
            c.close();
            if (p.isAlive()) {
                p.kill();
                p.join();
            }
        }
    }
}
