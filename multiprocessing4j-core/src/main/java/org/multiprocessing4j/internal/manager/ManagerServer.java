package org.multiprocessing4j.internal.manager;

import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.connection.Connection;
import org.multiprocessing4j.function.SerializableCallable;
import org.multiprocessing4j.internal.wire.SocketConnection;

/**
 * A manager's server: accepts clients on a Unix-domain socket (a started manager, on this machine) or TCP (a
 * served one), and runs each client connection's requests in a thread of its own.
 *
 * <pre>
 * Overview: a connection (the client's side is in {@link ClientSession})
 *  1. accept (the acceptor thread only accepts, so a client that stalls cannot hold others up);
 *     a connection thread then runs the mutual auth-key challenge (SocketConnection.authenticate: wrong key,
 *     garbage or a stalled hand-shake end that connection only, within 20 s).
 *  2. receive Hello(session, pipeEnd): with a pipe end, reply "ok", close the socket, and go on over the pipe;
 *     without, reply "ok" and go on over the socket.
 *  3. loop: receive a request frame, run it (Dispatcher), send the reply. A frame that does not parse, end of
 *     stream, or a failed send ends the connection; a reply the client does not read blocks only this thread.
 *     A reply that cannot be sent after a lock or permit was taken (the caller was interrupted and left) gives the
 *     lock or permit back.
 *  4. at the end of the connection the session loses one connection; at its last, its holds and locks go
 *     (ObjectTable.leave).
 *  Shutdown request: reply, then close the acceptor and every connection, and release awaitShutdown().
 * State: RUNNING --shutdown request or close()--> CLOSED (idempotent).
 * </pre>
 */
public final class ManagerServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.multiprocessing4j.manager");
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ServerSocketChannel server;
    private final ServerScope scope;
    private final Dispatcher dispatcher;
    private final Path socketFile;
    private final Set<Object> open = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closed = new CountDownLatch(1);

    /**
     * Binds and starts accepting.
     *
     * @param address a Unix-domain or TCP address (port 0: a free port)
     * @param key the auth key clients must know
     * @param registry the registered types: interface name to factory
     * @throws IOException if the address cannot be bound
     */
    public ManagerServer(SocketAddress address, byte[] key, Map<String, SerializableCallable<?>> registry)
            throws IOException {
        if (address instanceof UnixDomainSocketAddress u) {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            socketFile = u.getPath();
        } else if (address instanceof InetSocketAddress) {
            server = ServerSocketChannel.open();
            socketFile = null;
        } else {
            throw new IllegalArgumentException("unsupported address: class="
                    + (address == null ? "null" : address.getClass().getName())
                    + " (use InetSocketAddress or UnixDomainSocketAddress)");
        }
        try {
            server.bind(address, 128);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot serve a manager: address=" + address + ": " + e.getMessage(), e);
        }
        scope = new ServerScope(server.getLocalAddress(), key, registry);
        dispatcher = new Dispatcher(scope);
        Thread t = new Thread(this::acceptLoop, "mp4j-manager-acceptor");
        t.setDaemon(true);
        t.start();
    }

    /** @return the bound address */
    public SocketAddress address() {
        return scope.address;
    }

    /** @return how many objects the server holds */
    public int objects() {
        return scope.table.size();
    }

    /** Waits until the server is closed. @throws InterruptedException if interrupted */
    public void awaitShutdown() throws InterruptedException {
        closed.await();
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                break;
            }
            Thread t = new Thread(() -> serve(ch), "mp4j-manager-conn-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(SocketChannel channel) {
        ServerScope.enter(scope);
        open.add(channel);
        Connection c = null;
        long session = 0;
        boolean joined = false;
        try {
            SocketConnection socket = SocketConnection.authenticate(channel, scope.key, true);
            c = socket;
            open.add(socket);
            Hello hello = Hello.read(socket);
            session = hello.session();
            if (hello.pipe() != null) {
                c = hello.pipe();
                open.add(c);
                socket.send("ok");
                socket.close();
            } else {
                socket.send("ok");
            }
            scope.table.join(session);
            joined = true;
            HotPath.warmServer(scope);
            for (;;) {
                byte[] frame = c.recvBytes();
                if (frame.length == 1 && frame[0] == 6) {
                    c.sendBytes(RequestCodec.encode(new Reply.Value(null)));
                    close();
                    return;
                }
                byte[] reply = dispatcher.handle(frame, session);
                try {
                    c.sendBytes(reply);
                } catch (IOException e) {
                    dispatcher.undoAcquisition(session); // the caller gave up waiting: it must not hold the lock
                    throw e;
                }
            }
        } catch (EOFException e) {
            // the client let go
        } catch (IOException | RuntimeException e) {
            if (server.isOpen()) {
                LOG.log(Level.DEBUG, "manager connection ended: session=" + session + ": " + e);
            }
        } finally {
            if (c != null) {
                c.close();
                open.remove(c);
            }
            try {
                channel.close();
            } catch (IOException e) {
                // closed already
            }
            open.remove(channel);
            if (joined) {
                scope.table.leave(session);
            }
        }
    }

    /** Stops accepting, closes every connection, removes a Unix socket file; idempotent. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closed already
        }
        for (Object o : open) {
            try {
                if (o instanceof AutoCloseable a) {
                    a.close();
                }
            } catch (Exception e) {
                // closing anyway
            }
        }
        if (socketFile != null) {
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException e) {
                // the runtime directory's clean-up retries
            }
        }
        closed.countDown();
    }

    /**
     * The body of a started manager's server process: serves on {@code socketPath} (its parent waits for the socket
     * file, which bind-and-listen makes in one step) until a shutdown request (or
     * until the process that started it ends, which ends this daemon process).
     *
     * @param socketPath where to listen
     * @param registry the registered types
     * @throws Exception if the server cannot start
     */
    public static void runChild(String socketPath, Map<String, SerializableCallable<?>> registry) throws Exception {
        byte[] key = org.multiprocessing4j.Multiprocessing.currentProcess().authKey();
        try (ManagerServer s = new ManagerServer(UnixDomainSocketAddress.of(socketPath), key, registry)) {
            s.awaitShutdown();
        }
    }
}
