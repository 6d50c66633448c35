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
 *   idle_receiver_round_trip_median[_steady]   us from that send() to the return of the parent's recv() of the
 *                                       child's answer: a request to an idle process (CPython ~40 us here: a
 *                                       socketpair Pipe, its child blocked in recv)
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
            long[] roundTrips = new long[total];
            for (int i = 0; i < total; i++) {
                Thread.sleep(5); // the receiver has blocked by now
                long sent = System.nanoTime();
                c.send(sent);
                if (!"ack".equals(c.recv())) {
                    throw new IllegalStateException("no ack");
                }
                roundTrips[i] = System.nanoTime() - sent;
            }
            List<Double> all = Common.micros((long[]) c.recv());
            p.join();
            Object[] params = {"start_method", sm, "transport", "Pipe(duplex) shared-memory rings"};
            Common.emitFirstAndSteady(PipePingpong.BENCH, "idle_receiver_wake_latency_median", all, rounds,
                    "send() in the parent to the return of recv() in a blocked child", params);
            Common.emitFirstAndSteady(PipePingpong.BENCH, "idle_receiver_round_trip_median",
                    Common.micros(roundTrips), rounds, "send() in the parent to the return of its recv() of the "
                            + "blocked child's answer", params);
        } finally {
            c.close();
            if (p.isAlive()) {
                p.kill();
                p.join();
            }
        }
    }
}
