package org.multiprocessing4j.internal.pool.worker;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.multiprocessing4j.function.SerializableCallable;
import org.multiprocessing4j.function.SerializableFunction;
import org.multiprocessing4j.internal.child.Rehearsal;
import org.multiprocessing4j.internal.os.SelfPid;
import org.multiprocessing4j.internal.pool.protocol.Items;
import org.multiprocessing4j.internal.pool.protocol.LambdaCodec;
import org.multiprocessing4j.internal.pool.protocol.PoolChannel;
import org.multiprocessing4j.internal.pool.protocol.PoolMessage;
import org.multiprocessing4j.internal.resource.RuntimeDir;

/**
 * The pools' part of a ready JVM's rehearsal (internal.child.Rehearsals): a pool worker's session, on a thread of
 * its own, connected over a Unix socket of this JVM's runtime directory to this thread, which plays the pool.
 *
 * <pre>
 * The script, each step answered before the next is sent:
 *  1. the token and HELLO, as a worker connects: the JVM's first selector and Unix socket;
 *  2. a function defined, then chunks of ints and of other items and callables, one at a time: the messages'
 *     classes, a function's decoding, the codecs' first runs;
 *  3. TASKS one-item chunks in CHUNKS frames of RUN, as a map with chunk size 1 sends them: the worker's per-task
 *     path through its tiers (the library's classes end at C1, see JvmCommand.C1_ONLY; the JDK's socket and
 *     collection code under them at C2), so that a pool's first thousands of small tasks find it compiled.
 * Measured (2 cores, load ~2; a parent that made a pool before its ready JVMs were launched):
 *  - steps 1-2 took a pool of 2 from ready JVMs from 28-36 ms to 10-17 ms between its constructor and its first
 *    map's result (a worker's connection had taken 7-16 ms, its first chunk 4-7 ms from arrival to reply); in
 *    pool_map_overhead, five alternating runs: start-up 12.2-15.1 ms against 17.0-24.0 ms;
 *  - step 3 (6,000 tasks), nine alternating runs: the map of 20,000 one-item chunks (the median of three after the
 *    bench's warm-up) 4.0e5-6.3e5 items per s against 3.1e5-4.6e5, better in 8 of 9 pairs;
 *  - CPU of a ready JVM, to boot and wait 4 s: 150-160 ms without any rehearsal, 220-240 ms with steps 1-2,
 *    280-290 ms with all three (on idle cores: Rehearsals waits for them).
 * Leaves nothing: the socket file is deleted, both channels closed, the worker's thread and its reply watch's
 * ended (WorkerSession.close).
 * </pre>
 */
final class PoolRehearsal implements Rehearsal {
    /** Step 3's one-item chunks; 5,000 calls take a method of the library through C1's tiers to its last. */
    static final int TASKS = Integer.getInteger("mp4j.rehearsal.poolTasks", 6_000);
    /** How the rehearsal's socket file ends, in this JVM's runtime directory. */
    static final String SOCKET_SUFFIX = ".rehearsal.sock";
    /** Step 2's tasks: chunks and callables, alternately. */
    private static final int FIRST_USES = 8;
    /** One-item chunks per CHUNKS frame in step 3. */
    private static final int RUN = 32;
    private static final long REPLY_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int FUNCTION = 1;

    private static int next(int x) {
        return x + 1;
    }

    @Override
    public List<String> rehearse(BooleanSupplier stopped) throws IOException, InterruptedException {
        Path path = RuntimeDir.get().newFile(SOCKET_SUFFIX);
        byte[] token = PoolChannel.newToken();
        Throwable[] workerFailure = new Throwable[1];
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            Thread worker = new Thread(() -> work(path, token, workerFailure), "mp4j-rehearsal-pool");
            worker.setDaemon(true);
            worker.start();
            try {
                SocketChannel socket = server.accept();
                try (PoolChannel pool = PoolChannel.serve(socket, token)) {
                    await(pool, 1, stopped);
                    firstUses(pool, stopped);
                    smallTasks(pool, stopped);
                }
            } finally {
                worker.join(TimeUnit.NANOSECONDS.toMillis(REPLY_WAIT_NANOS));
                Files.deleteIfExists(path);
            }
        }
        if (workerFailure[0] != null) {
            throw new IOException("the rehearsal's pool worker failed: " + workerFailure[0], workerFailure[0]);
        }
        return List.of();
    }

    /** Step 2: a function, then each kind of task once or twice. */
    private static void firstUses(PoolChannel pool, BooleanSupplier stopped) throws IOException {
        SerializableFunction<Integer, Integer> fn = PoolRehearsal::next;
        pool.send(new PoolMessage.Define(FUNCTION, LambdaCodec.encode(fn)));
        for (int i = 0; i < FIRST_USES && !stopped.getAsBoolean(); i++) {
            if (i % 2 == 0) {
                List<Object> items = i % 4 == 0 ? List.of(i, i + 1, i + 2)
                        : List.of(Rehearsal.item(i), Rehearsal.item(i + 5));
                pool.sendNow(new PoolMessage.Chunk(i, FUNCTION, false, Items.encode(items)));
            } else {
                int x = i;
                SerializableCallable<Integer> call = () -> next(x);
                pool.sendNow(new PoolMessage.Call(i, LambdaCodec.encode(call)));
            }
            await(pool, 1, stopped);
        }
    }

    /** Step 3: one-item chunks of ints, RUN to a frame, each frame's results awaited before the next is sent. */
    private static void smallTasks(PoolChannel pool, BooleanSupplier stopped) throws IOException {
        long id = FIRST_USES;
        long[] ids = new long[RUN];
        byte[][] items = new byte[RUN][];
        for (int sent = 0; sent < TASKS && !stopped.getAsBoolean(); sent += RUN) {
            for (int k = 0; k < RUN; k++) {
                ids[k] = id++;
                items[k] = Items.encode(List.of(k));
            }
            pool.sendNow(new PoolMessage.Chunks(FUNCTION, false, RUN, ids, items));
            await(pool, RUN, stopped);
        }
    }

    /** The worker's side: the session that a pool's worker runs, until the pool's side closes. */
    private static void work(Path path, byte[] token, Throwable[] failure) {
        try (PoolChannel channel = PoolChannel.connect(path.toString(), token)) {
            channel.sendNow(new PoolMessage.Hello(0, 0, SelfPid.get()));
            WorkerSession session = new WorkerSession(channel, 0, null);
            try {
                session.serve();
            } finally {
                session.close();
            }
        } catch (IOException | RuntimeException e) {
            failure[0] = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits for the worker's next {@code answers} replies (its HELLO counts as one), unless the process arrives.
     */
    private static void await(PoolChannel pool, int answers, BooleanSupplier stopped) throws IOException {
        long until = System.nanoTime() + REPLY_WAIT_NANOS;
        int answered = 0;
        while (answered < answers) {
            PoolMessage m = pool.poll();
            if (m != null) {
                answered += m instanceof PoolMessage.Results ? ((PoolMessage.Results) m).count() : 1;
            } else if (stopped.getAsBoolean()) {
                return; // the process came: closing the channel ends the worker's session
            } else if (System.nanoTime() > until) {
                throw new EOFException("the rehearsal's pool worker did not answer within "
                        + TimeUnit.NANOSECONDS.toSeconds(REPLY_WAIT_NANOS) + " s: answered=" + answered + " of "
                        + answers);
            } else {
                pool.awaitReadable(10);
            }
        }
    }
}
