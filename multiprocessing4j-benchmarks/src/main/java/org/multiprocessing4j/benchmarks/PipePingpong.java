package org.multiprocessing4j.benchmarks;

import static org.multiprocessing4j.benchmarks.Common.emit;
import static org.multiprocessing4j.benchmarks.Common.median;
import static org.multiprocessing4j.benchmarks.Common.percentile;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.multiprocessing4j.ChildProcess;
import java.net.UnixDomainSocketAddress;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.connection.Client;
import org.multiprocessing4j.connection.Connection;
import org.multiprocessing4j.connection.Listener;
import org.multiprocessing4j.connection.Pipe;

/**
 * pipe_pingpong, the twin of {@code ../shared/bench/python/pipe_pingpong.py}: round-trip latency over a duplex
 * {@link Pipe} between the parent and one child that echoes.
 *
 * <pre>
 * Modes, as in Python (n = scale(20000, 100) round trips per batch, 5 batches, warm-up min(2000, n)):
 *   obj_small_int   send(i &amp; 0x7F) / recv()          (codec both ways: the Integer fast path)
 *   bytes_64        sendBytes(64 B) / recvBytes()
 * Metrics per mode: MODE_rtt_median and MODE_rtt_p99 (us, median over batches of each batch's statistic),
 * MODE_roundtrips_per_s (n / batch wall time).
 * Variants (params transport): the Pipe, and the same over Listener/Client on a Unix-domain socket (what remote
 * and unrelated processes use; CPython's Pipe is a socket pair too).
 * Extra: floor_shm_rtt_median / floor_shm_rtt_p99 (us): the physical floor, a raw ping-pong of one long through a
 * mapped file between the same two kinds of JVM, both spinning (no codec, no locks, no liveness).
 * Idle receiver: {@link PipeIdle} (idle_receiver_wake_latency_median, idle_receiver_cpu_percent).
 * </pre>
 */
final class PipePingpong {
    static final String BENCH = "pipe_pingpong";
    private static final int REPS = 5;

    private PipePingpong() {
    }

    static int run(String[] args) {
        int n = Common.scale(20000, 100);
        boolean onlyIdle = Arrays.asList(args).equals(List.of("idle"));
        try {
            if (!onlyIdle) {
                mode("obj_small_int", n, Math.min(2000, n), false);
                mode("bytes_64", n, Math.min(2000, n), false);
                mode("obj_small_int", n, Math.min(2000, n), true);
                mode("bytes_64", n, Math.min(2000, n), true);
                floor(n, Math.min(2000, n));
            }
            PipeIdle.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return 0;
    }

    static void echoObjects(Connection c) throws IOException {
        for (;;) {
            Object x = c.recv();
            if (x == null) {
                return;
            }
            c.send(x);
        }
    }

    static void echoBytes(Connection c) throws IOException {
        byte[] stop = {'S', 'T', 'O', 'P'};
        for (;;) {
            byte[] b = c.recvBytes();
            if (Arrays.equals(b, stop)) {
                return;
            }
            c.sendBytes(b);
        }
    }

    /** The child of the socket variant: connects to the parent's Listener, then echoes. */
    static void connectAndEcho(String path, byte[] key, boolean obj) throws IOException {
        Connection c = Client.connect(UnixDomainSocketAddress.of(path), key);
        if (obj) {
            echoObjects(c);
        } else {
            echoBytes(c);
        }
        c.close();
    }

    private static void mode(String mode, int n, int warm, boolean socket) throws Exception {
        boolean obj = mode.equals("obj_small_int");
        ChildProcess p;
        Connection c;
        if (socket) {
            byte[] key = Multiprocessing.currentProcess().authKey();
            try (Listener listener = new Listener(null, key)) {
                String path = ((UnixDomainSocketAddress) listener.address()).getPath().toString();
                p = new ChildProcess(() -> connectAndEcho(path, key, obj));
                p.start();
                c = listener.accept();
            }
        } else {
            Pipe pipe = Pipe.open();
            Connection child = pipe.right();
            p = new ChildProcess(obj ? () -> echoObjects(child) : () -> echoBytes(child));
            p.start();
            child.close();
            c = pipe.left();
        }
        byte[] payload = new byte[64];
        for (int i = 0; i < 64; i++) {
            payload[i] = (byte) i;
        }
        for (int i = 0; i < warm; i++) {
            roundTrip(c, obj, i, payload);
        }
        List<Double> medians = new ArrayList<>();
        List<Double> p99s = new ArrayList<>();
        List<Double> means = new ArrayList<>();
        for (int r = 0; r < REPS; r++) {
            long[] lat = new long[n];
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                roundTrip(c, obj, i, payload);
                lat[i] = System.nanoTime() - t0;
            }
            long total = System.nanoTime() - start;
            List<Double> us = new ArrayList<>(n);
            for (long l : lat) {
                us.add(l / 1e3);
            }
            medians.add(median(us));
            p99s.add(percentile(us, 99));
            means.add(total / (double) n / 1e3);
        }
        if (obj) {
            c.send(null);
        } else {
            c.sendBytes(new byte[] {'S', 'T', 'O', 'P'});
        }
        p.join();
        c.close();
        Object[] common = {"mode", mode, "round_trips", n, "reps", REPS, "start_method",
            org.multiprocessing4j.Multiprocessing.getStartMethod().toString().toLowerCase(),
            "transport", socket ? "Listener/Client Unix-domain socket" : "Pipe(duplex) shared-memory rings"};
        emit(BENCH, mode + "_rtt_median", median(medians), "us", concat(common, "rep_medians", round(medians)));
        emit(BENCH, mode + "_rtt_p99", median(p99s), "us", common);
        emit(BENCH, mode + "_roundtrips_per_s", 1e6 / median(means), "1/s",
                concat(common, "note", "n / total batch wall time (includes timer overhead)"));
    }

    private static void roundTrip(Connection c, boolean obj, int i, byte[] payload) throws IOException {
        if (obj) {
            c.send(i & 0x7F);
            c.recv();
        } else {
            c.sendBytes(payload);
            c.recvBytes();
        }
    }

    // ---- the physical floor -------------------------------------------------------------------------------------

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.nativeOrder());

    private static MappedByteBuffer map(String file) throws IOException {
        try (FileChannel ch = FileChannel.open(Path.of(file), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
        }
    }

    /** The child of the floor: waits for each ping (offset 0) and answers it (offset 64), until -1. */
    static void floorEcho(String file) throws IOException {
        MappedByteBuffer m = map(file);
        long seen = 0;
        for (;;) {
            long v;
            while ((v = (long) LONGS.getAcquire(m, 0)) == seen) {
                Thread.onSpinWait();
            }
            if (v < 0) {
                return;
            }
            seen = v;
            LONGS.setRelease(m, 64, v);
        }
    }

    private static void floor(int n, int warm) throws Exception {
        Path dir = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty(
                "java.io.tmpdir"));
        Path file = Files.createTempFile(dir, "mp4j-floor", ".bin");
        try {
            Files.write(file, new byte[4096]);
            MappedByteBuffer m = map(file.toString());
            String name = file.toString();
            ChildProcess p = new ChildProcess(() -> floorEcho(name));
            p.start();
            long seq = 0;
            for (int i = 0; i < warm; i++) {
                floorTrip(m, ++seq);
            }
            List<Double> medians = new ArrayList<>();
            List<Double> p99s = new ArrayList<>();
            for (int r = 0; r < REPS; r++) {
                List<Double> us = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    floorTrip(m, ++seq);
                    us.add((System.nanoTime() - t0) / 1e3);
                }
                medians.add(median(us));
                p99s.add(percentile(us, 99));
            }
            LONGS.setRelease(m, 0, -1L);
            p.join(Duration.ofSeconds(30));
            Object[] common = {"mode", "floor_shm", "round_trips", n, "reps", REPS,
                "transport", "raw mapped file, one long each way, both sides spinning"};
            emit(BENCH, "floor_shm_rtt_median", median(medians), "us", common);
            emit(BENCH, "floor_shm_rtt_p99", median(p99s), "us", common);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void floorTrip(MappedByteBuffer m, long seq) {
        LONGS.setRelease(m, 0, seq);
        while ((long) LONGS.getAcquire(m, 64) != seq) {
            Thread.onSpinWait();
        }
    }

    static List<Double> round(List<Double> xs) {
        List<Double> out = new ArrayList<>();
        for (double x : xs) {
            out.add(Math.round(x * 1000) / 1000.0);
        }
        return out;
    }

    static Object[] concat(Object[] a, Object... b) {
        Object[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
