package org.multiprocessing4j.internal.wait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.multiprocessing4j.internal.resource.ProcessIdentity;
import org.multiprocessing4j.internal.resource.RuntimeDir;

/**
 * The futex the JDK lacks: one per process, a Unix-domain socket {@code <runtime dir>/doorbell.sock} read by one
 * daemon thread, through which any process of this OS user wakes a parked thread of this one.
 *
 * <pre>
 * Overview
 *  Message: 4 bytes, native order: the ThreadSlots number of the thread to unpark. Nothing else travels, so the
 *  socket needs no authentication: the directory is mode 0700, and a forged message only causes a spurious
 *  wake-up, which every waiter tolerates (it re-checks its condition).
 *  Receiving: a Selector thread accepts connections and, per complete message, LockSupport.unpark(thread).
 *  A shutdown hook closes the selector, so the thread leaves its native epoll_wait and does not delay the exit.
 *  Ringing: the waker finds the doorbell of a pid by globbing <base>/mp4j-<pid>-<start>-*&#47;doorbell.sock (the
 *  start time that matches the live process wins), keeps one connection per pid, and writes the message under the
 *  connection's lock. A ring to this process unparks directly. The waker clears its interrupt status around the
 *  write (an interrupted write would close the shared channel) and restores it.
 *  Latency: epoll wake-up + read + unpark, some tens of microseconds; wakers ring only waiters that have parked.
 * </pre>
 */
public final class Doorbell {
    private static final String SOCKET = "doorbell.sock";
    private static final Map<Long, Connection> CONNECTIONS = new ConcurrentHashMap<>();
    private static volatile Doorbell listening;

    private final Selector selector;
    private final ServerSocketChannel server;
    private final Thread thread;
    private volatile boolean closing;

    private Doorbell(Path path) throws IOException {
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        server.configureBlocking(false);
        selector = Selector.open();
        server.register(selector, SelectionKey.OP_ACCEPT);
        thread = new Thread(this::loop, "mp4j-doorbell");
        thread.setDaemon(true);
        thread.start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "mp4j-doorbell-close"));
    }

    /**
     * Makes sure this process's doorbell listens; a waiter calls it before it announces itself in shared memory.
     *
     * @throws UncheckedIOException if the socket cannot be made
     */
    public static void ensureListening() {
        if (listening == null) {
            synchronized (Doorbell.class) {
                if (listening == null) {
                    try {
                        listening = new Doorbell(RuntimeDir.get().path().resolve(SOCKET));
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot open this process's doorbell socket in "
                                + RuntimeDir.baseDirectory() + ": " + e, e);
                    }
                }
            }
        }
    }

    /**
     * Wakes thread {@code slot} of process {@code pid}.
     *
     * @param pid the waiter's process
     * @param slot the waiter's {@link ThreadSlots} number
     * @return {@code false} if the process has no reachable doorbell (it has ended)
     */
    public static boolean ring(long pid, int slot) {
        if (pid == ProcessIdentity.selfPid()) {
            Thread t = ThreadSlots.thread(slot);
            if (t != null) {
                LockSupport.unpark(t);
            }
            return true;
        }
        boolean interrupted = Thread.interrupted();
        try {
            for (int attempt = 0; attempt < 2; attempt++) {
                Connection c = CONNECTIONS.computeIfAbsent(pid, Doorbell::connect);
                if (c == Connection.NONE) {
                    CONNECTIONS.remove(pid, c);
                    return false;
                }
                if (c.send(slot)) {
                    return true;
                }
                CONNECTIONS.remove(pid, c);
            }
            return false;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Connection connect(long pid) {
        Path socket = PeerSockets.find(pid, SOCKET);
        if (socket == null) {
            return Connection.NONE;
        }
        try {
            SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            return new Connection(ch);
        } catch (IOException e) {
            return Connection.NONE;
        }
    }

    private void loop() {
        ByteBuffer scratch = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
        try {
            while (!closing) {
                selector.select();
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (!k.isValid()) {
                        continue;
                    }
                    if (k.isAcceptable()) {
                        SocketChannel ch = server.accept();
                        if (ch != null) {
                            ch.configureBlocking(false);
                            ch.register(selector, SelectionKey.OP_READ, ByteBuffer.allocate(4)
                                    .order(ByteOrder.nativeOrder()));
                        }
                    } else if (k.isReadable()) {
                        read(k, scratch);
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            // closing
        }
    }

    private static void read(SelectionKey k, ByteBuffer scratch) {
        SocketChannel ch = (SocketChannel) k.channel();
        ByteBuffer partial = (ByteBuffer) k.attachment();
        try {
            scratch.clear();
            int n = ch.read(scratch);
            if (n < 0) {
                PeerSockets.drop(k);
                return;
            }
            scratch.flip();
            while (scratch.hasRemaining()) {
                partial.put(scratch.get());
                if (!partial.hasRemaining()) {
                    Thread t = ThreadSlots.thread(partial.getInt(0));
                    if (t != null) {
                        LockSupport.unpark(t);
                    }
                    partial.clear();
                }
            }
        } catch (IOException e) {
            PeerSockets.drop(k);
        }
    }

    private void close() {
        closing = true;
        try {
            selector.close(); // wakes the thread out of select
            server.close();
        } catch (IOException e) {
            // exiting
        }
        try {
            thread.join(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One cached connection to another process's doorbell. */
    private static final class Connection {
        static final Connection NONE = new Connection(null);
        private final SocketChannel channel;
        private final ByteBuffer message = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder());

        Connection(SocketChannel channel) {
            this.channel = channel;
        }

        synchronized boolean send(int slot) {
            try {
                message.clear();
                message.putInt(slot).flip();
                while (message.hasRemaining()) {
                    channel.write(message);
                }
                return true;
            } catch (IOException e) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closed
                }
                return false;
            }
        }
    }
}
