package org.multiprocessing4j.internal.pool;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.multiprocessing4j.internal.pool.protocol.PoolChannel;
import org.multiprocessing4j.internal.pool.protocol.PoolMessage;
import org.multiprocessing4j.internal.resource.RuntimeDir;

/**
 * The pool's Unix-domain socket, in this JVM's private runtime directory, and one reader thread per worker
 * connection.
 *
 * <pre>
 * Overview (per connection, on its own daemon thread):
 *  1. admit: the first frame must be the pool's token (PoolChannel); a peer that presents anything else is
 *     dropped before anything it sent is decoded
 *  2. the first message binds the connection: HELLO(slot, generation) to that worker, or INIT_FAILED, which
 *     breaks the pool
 *  3. read replies, spinning briefly while the worker has tasks (a short task answers within microseconds), and
 *     hand each to the engine
 *  4. end of stream: the engine kills the process if need be; its exit settles the worker's tasks
 * </pre>
 */
final class PoolListener {
    private static final long READ_SPIN_NANOS = 100_000;
    private static final int BATCH = 64;
    private static final long HELPER_PARK_NANOS = 100_000;
    private static final long MIN_IDLE_PARK_NANOS = 50_000;
    private static final long MAX_IDLE_PARK_NANOS = 2_000_000;
    private static final long SLEEP_AFTER_NANOS = 20_000_000;

    private final PoolEngine engine;
    private final byte[] token;
    private final Path path;
    private final ServerSocketChannel server;
    private final Thread acceptor;

    PoolListener(PoolEngine engine, byte[] token, String name) throws IOException {
        this.engine = engine;
        this.token = token;
        this.path = RuntimeDir.get().newSocketPath();
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        this.acceptor = new Thread(this::acceptLoop, name + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String path() {
        return path.toString();
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            Thread reader = new Thread(() -> serve(socket), acceptor.getName().replace("-accept", "-reader"));
            reader.setDaemon(true);
            reader.start();
        }
    }

    private void serve(SocketChannel socket) {
        PoolChannel channel;
        try {
            channel = PoolChannel.serve(socket, token);
        } catch (IOException | RuntimeException e) {
            return;
        }
        WorkerConn worker = null;
        try {
            PoolMessage first = channel.receive(0);
            if (first instanceof PoolMessage.InitFailed) {
                engine.initializerFailed(((PoolMessage.InitFailed) first).error());
                channel.close();
                return;
            }
            if (!(first instanceof PoolMessage.Hello)) {
                channel.close();
                return;
            }
            worker = engine.bind((PoolMessage.Hello) first, channel);
            if (worker == null) {
                channel.close();
                return;
            }
            worker.reader = Thread.currentThread();
            CallerReads.markPoolThread();
            List<WorkerConn> dirty = new ArrayList<>(2);
            long active = System.nanoTime();
            long idlePark = MIN_IDLE_PARK_NANOS;
            while (true) {
                if (worker.helpers.get() > 0) {
                    LockSupport.parkNanos(HELPER_PARK_NANOS);
                    continue;
                }
                int handled = 0;
                worker.readLock.lock();
                try {
                    PoolMessage m;
                    while (handled < BATCH && (m = channel.poll()) != null) {
                        engine.reply(worker, m, dirty);
                        handled++;
                    }
                } finally {
                    worker.readLock.unlock();
                }
                if (channel.hasPending() && !dirty.contains(worker)) {
                    dirty.add(worker);
                }
                PoolEngine.flush(dirty);
                dirty.clear();
                long now = System.nanoTime();
                if (handled > 0) {
                    active = now;
                    idlePark = MIN_IDLE_PARK_NANOS;
                } else if (worker.outstandingCount > 0) {
                    idlePark = MIN_IDLE_PARK_NANOS;
                    if (worker.outstandingCount > 1 && now - active < READ_SPIN_NANOS) {
                        Thread.yield();
                    } else {
                        channel.awaitReadable(1000);
                    }
                } else if (now - active < SLEEP_AFTER_NANOS) {
                    LockSupport.parkNanos(idlePark);
                    idlePark = Math.min(2 * idlePark, MAX_IDLE_PARK_NANOS);
                } else {
                    worker.readerAsleep = true;
                    if (worker.outstandingCount == 0 && channel.isOpen()) {
                        LockSupport.park(this);
                    }
                    worker.readerAsleep = false;
                }
                if (!channel.isOpen()) {
                    throw new java.io.EOFException("pool channel closed");
                }
            }
        } catch (IOException | RuntimeException e) {
            // end of stream (the worker ended) or a broken stream
        }
        channel.close();
        if (worker != null) {
            engine.disconnected(worker);
        }
    }

    void close() {
        try {
            server.close();
        } catch (IOException e) {
            // nothing left to release
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // the runtime directory is removed at exit
        }
    }
}
