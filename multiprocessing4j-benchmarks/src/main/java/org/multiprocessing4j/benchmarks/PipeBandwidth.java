package org.multiprocessing4j.benchmarks;

import static org.multiprocessing4j.benchmarks.Common.emit;
import static org.multiprocessing4j.benchmarks.Common.median;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.connection.Connection;
import org.multiprocessing4j.connection.Pipe;

/**
 * pipe_bandwidth, the twin of {@code ../shared/bench/python/pipe_bandwidth.py}: {@code sendBytes} of one 64 MiB
 * message parent to child; the child receives it and answers with a 1-byte ack; time = start of the send to the
 * ack. Median over reps after one warm-up transfer. MB = 1e6 bytes.
 *
 * <pre>
 * duplex_recv_bytes_MB_per_s        Pipe.open(), the child uses recvBytes() (a fresh 64 MiB array each time)
 * simplex_recv_bytes_MB_per_s       Pipe.open(false) for the data, another one-way pipe for the ack
 * duplex_recv_bytes_into_MB_per_s   Pipe.open(), the child uses recvBytesInto() a preallocated array
 * Extra, the physical floors, in this process, warm:
 *   floor_copy_MB_per_s               one System.arraycopy of 64 MiB into a pre-touched array (a pipe copies twice:
 *                                     into the ring and out of it, on two cores at once)
 *   floor_ring_copy_out_MB_per_s      64 MiB copied out of a 4 MiB direct buffer (a ring, in cache) into a
 *                                     pre-touched array: the least a receiver does for recvBytesInto
 *   floor_alloc_ring_copy_out_MB_per_s  the same into a fresh array (new byte[64 MiB], which the JVM zeroes):
 *                                     the least a receiver does for recvBytes
 * </pre>
 */
final class PipeBandwidth {
    static final String BENCH = "pipe_bandwidth";
    static final int SIZE = 64 * 1024 * 1024;

    private PipeBandwidth() {
    }

    static int run(String[] args) {
        byte[] data = new byte[SIZE];
        new Random(42).nextBytes(data);
        try {
            run(true, false, data, Common.scale(5, 2));
            run(false, false, data, Common.scale(3, 2));
            run(true, true, data, Common.scale(3, 2));
            floor(data, Common.scale(5, 2));
            ringFloors(Common.scale(5, 2));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return 0;
    }

    static void sink(Connection rconn, Connection ackconn, boolean into) throws IOException {
        byte[] buf = into ? new byte[SIZE] : null;
        byte[] ack = {'k'};
        for (;;) {
            int n = into ? rconn.recvBytesInto(buf) : rconn.recvBytes().length;
            if (n == 1) {
                return;
            }
            ackconn.sendBytes(ack);
        }
    }

    private static void run(boolean duplex, boolean into, byte[] data, int reps) throws Exception {
        Connection rconn;
        Connection sconn;
        Connection ackR;
        Connection ackW;
        if (duplex) {
            Pipe p = Pipe.open(true);
            rconn = p.right();
            sconn = p.left();
            ackR = p.left();
            ackW = p.right();
        } else {
            Pipe d = Pipe.open(false);
            Pipe a = Pipe.open(false);
            rconn = d.left();
            sconn = d.right();
            ackR = a.left();
            ackW = a.right();
        }
        Connection r = rconn;
        Connection w = ackW;
        ChildProcess child = new ChildProcess(() -> sink(r, w, into));
        child.start();
        rconn.close();
        if (ackW != rconn) {
            ackW.close();
        }
        sconn.sendBytes(data);
        ackR.recvBytes();
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            sconn.sendBytes(data);
            ackR.recvBytes();
            rates.add(SIZE / ((System.nanoTime() - t0) / 1e9) / 1e6);
        }
        sconn.sendBytes(new byte[] {'x'});
        child.join();
        sconn.close();
        ackR.close();
        String metric = (duplex ? "duplex" : "simplex") + "_" + (into ? "recv_bytes_into" : "recv_bytes") + "_MB_per_s";
        emit(BENCH, metric, median(rates), "MB/s", "transport", (duplex ? "Pipe(duplex)" : "Pipe(duplex=false)")
                + " shared-memory rings", "size_bytes", SIZE, "reps", reps, "rep_values", PipePingpong.round(rates),
                "start_method", org.multiprocessing4j.Multiprocessing.getStartMethod().toString().toLowerCase());
    }

    private static void floor(byte[] data, int reps) {
        byte[] target = new byte[SIZE];
        System.arraycopy(data, 0, target, 0, SIZE);
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            System.arraycopy(data, 0, target, 0, SIZE);
            rates.add(SIZE / ((System.nanoTime() - t0) / 1e9) / 1e6);
        }
        emit(BENCH, "floor_copy_MB_per_s", median(rates), "MB/s", "transport", "one System.arraycopy, pre-touched",
                "size_bytes", SIZE, "reps", reps);
    }

    private static void ringFloors(int reps) {
        int ringSize = 4 << 20;
        ByteBuffer ring = ByteBuffer.allocateDirect(ringSize);
        for (int i = 0; i < ringSize; i++) {
            ring.put(i, (byte) i);
        }
        byte[] target = new byte[SIZE];
        List<Double> into = new ArrayList<>();
        List<Double> fresh = new ArrayList<>();
        for (int i = 0; i < reps + 1; i++) {
            long t0 = System.nanoTime();
            copyOut(ring, target);
            long t1 = System.nanoTime();
            byte[] b = new byte[SIZE];
            copyOut(ring, b);
            long t2 = System.nanoTime();
            if (i > 0) { // the first round touches the heap's pages
                into.add(SIZE / ((t1 - t0) / 1e9) / 1e6);
                fresh.add(SIZE / ((t2 - t1) / 1e9) / 1e6);
            }
        }
        emit(BENCH, "floor_ring_copy_out_MB_per_s", median(into), "MB/s", "transport",
                "64 MiB out of a 4 MiB direct buffer into a pre-touched array, in this process", "size_bytes", SIZE,
                "reps", reps);
        emit(BENCH, "floor_alloc_ring_copy_out_MB_per_s", median(fresh), "MB/s", "transport",
                "new byte[64 MiB], then 64 MiB out of a 4 MiB direct buffer into it, in this process", "size_bytes",
                SIZE, "reps", reps);
    }

    private static void copyOut(ByteBuffer ring, byte[] dst) {
        for (int off = 0; off < dst.length; off += ring.capacity()) {
            ring.get(0, dst, off, Math.min(ring.capacity(), dst.length - off));
        }
    }
}
