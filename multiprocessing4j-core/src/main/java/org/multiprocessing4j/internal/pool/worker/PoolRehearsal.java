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
 * The pools' part of a ready JVM's rehearsal (internal.child.Rehearsals), a light one, as the pipes' is: a pool
 * worker's session, on a thread of its own, connected over a Unix socket of this JVM's runtime directory to this
 * thread, which plays the pool: the token and HELLO, a function defined, chunks of ints and of other items, and
 * callables, each answered before the next is sent. It does not run the paths until they are compiled (see
 * internal.pool.package-info: warming a pool's per-task path up so measured worse); it takes the first use of a
 * pool worker's connection off the process's path: the first selector and Unix socket of the JVM, the messages'
 * classes, a function's decoding and the codecs' first runs.
 *
 * <pre>
 * Measured (2 cores, load ~2; a parent that made a pool before its ready JVMs were launched, then a pool of 2 from
 * ready JVMs and map(inc, [0, 1])): without this, a worker took 7-16 ms to connect and 4-7 ms from its first chunk's
 * arrival to its reply, and the pool 28-36 ms from its constructor to the map's result; with it, 10-17 ms. In
 * pool_map_overhead, five alternating runs: pool2_startup_to_first_result 12.2-15.1 ms against 17.0-24.0 ms.
 * Leaves nothing: the socket file is deleted, both channels closed, the worker's thread ended; the session holds no
 * reply back (each task is sent after the last reply), so its reply watch never starts a thread.
 * </pre>
 */
final class PoolRehearsal implements Rehearsal {
    /** The tasks sent: chunks and callables, alternately. */
    private static final int TASKS = 8;
    private static final long REPLY_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int FUNCTION = 1;
    /** How the rehearsal's socket file ends, in this JVM's runtime directory. */
    static final String SOCKET_SUFFIX = ".rehearsal.sock";

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
                    await(pool, stopped);
                    SerializableFunction<Integer, Integer> fn = PoolRehearsal::next;
                    pool.send(new PoolMessage.Define(FUNCTION, LambdaCodec.encode(fn)));
                    for (int i = 0; i < TASKS && !stopped.getAsBoolean(); i++) {
                        if (i % 2 == 0) {
                            List<Object> items = i % 4 == 0 ? List.of(i, i + 1, i + 2)
                                    : List.of(Rehearsal.item(i), Rehearsal.item(i + 5));
                            pool.sendNow(new PoolMessage.Chunk(i, FUNCTION, false, Items.encode(items)));
                        } else {
                            int x = i;
                            SerializableCallable<Integer> call = () -> next(x);
                            pool.sendNow(new PoolMessage.Call(i, LambdaCodec.encode(call)));
                        }
                        await(pool, stopped);
                    }
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

    /** The worker's side: the session that a pool's worker runs, until the pool's side closes. */
    private static void work(Path path, byte[] token, Throwable[] failure) {
        try (PoolChannel channel = PoolChannel.connect(path.toString(), token)) {
            channel.sendNow(new PoolMessage.Hello(0, 0, SelfPid.get()));
            new WorkerSession(channel, 0, null).serve();
        } catch (IOException | RuntimeException e) {
            failure[0] = e;
        }
    }

    /** Waits for the worker's next message (its HELLO or a reply) while the process has not arrived. */
    private static void await(PoolChannel pool, BooleanSupplier stopped) throws IOException {
        long until = System.nanoTime() + REPLY_WAIT_NANOS;
        while (pool.poll() == null) {
            if (stopped.getAsBoolean() || System.nanoTime() > until) {
                throw new EOFException("the rehearsal stopped before the pool worker answered");
            }
            pool.awaitReadable(10);
        }
    }
}
