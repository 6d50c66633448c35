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
 *  0. a started manager's first connection skips steps 1-2: its starter made a shared-memory Pipe and handed the
 *     server's end, with its session id, to the server process inside its task (over the launch's authenticated
 *     control channel); runChild binds, joins that session, sends READY on the pipe and goes on at step 3.
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
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** What a started manager's server sends on its starter's pipe once it is bound and serves it. */
    public static final byte[] READY = {'R'};

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
        open.add(channel);
        try {
            SocketConnection socket = SocketConnection.authenticate(channel, scope.key, true);
            open.add(socket);
            Hello hello;
            try {
                hello = Hello.read(socket);
                socket.send("ok");
            } catch (IOException | RuntimeException e) {
                socket.close();
                open.remove(socket);
                throw e;
            }
            if (hello.pipe() != null) {
                socket.close();
                open.remove(socket);
                converse(hello.pipe(), hello.session());
            } else {
                converse(socket, hello.session());
            }
        } catch (IOException | RuntimeException e) {
            if (server.isOpen()) {
                debug("manager connection refused: " + e);
            }
        } finally {
            try {
                channel.close();
            } catch (IOException e) {
                // closed already
            }
            open.remove(channel);
        }
    }

    /**
     * Serves the first connection of a started manager: the pipe its starter handed over with the server's task.
     * Joins the session, tells the starter {@link #READY} (this server is bound), then serves the pipe in a thread
     * of its own, started only now so that nothing competes with the starter's wait for READY.
     *
     * @param c the server's end of the pipe
     * @param session the starter's session id
     * @throws IOException if READY cannot be sent (the starter is gone)
     */
    private void serveFirst(Connection c, long session) throws IOException {
        admit(c, session);
        c.sendBytes(READY);
        Thread t = new Thread(() -> loop(c, session), "mp4j-manager-conn-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        t.start();
    }

    /** Steps 3-4 of the overview on one connection of a session, which this joins. */
    private void converse(Connection c, long session) {
        admit(c, session);
        loop(c, session);
    }

    private void admit(Connection c, long session) {
        open.add(c);
        scope.table.join(session);
    }

    private void loop(Connection c, long session) {
        ServerScope.enter(scope);
        try {
            HotPath.warmServer(scope);
            CallChannel ch = new CallChannel(c);
            for (;;) {
                ch.spin.await(c);
                int length = ch.receive();
                byte[] frame = ch.reply();
                if (length == 1 && frame[0] == RequestCodec.SHUTDOWN) {
                    c.sendBytes(RequestCodec.encode(new Reply.Value(null)));
                    close();
                    return;
                }
                dispatcher.handle(frame, length, session, ch.out);
                try {
                    ch.send();
                } catch (IOException e) {
                    dispatcher.undoAcquisition(session); // the caller gave up waiting: it must not hold the lock
                    throw e;
                }
            }
        } catch (EOFException e) {
            // the client let go
        } catch (IOException | RuntimeException e) {
            if (server.isOpen()) {
                debug("manager connection ended: session=" + session + ": " + e);
            }
        } finally {
            c.close();
            open.remove(c);
            scope.table.leave(session);
        }
    }

    /** Logs at DEBUG; the logger is looked up here, not at class initialization (~13 ms of a young JVM's start). */
    private static void debug(String message) {
        System.getLogger("org.multiprocessing4j.manager").log(Level.DEBUG, message);
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
     * The body of a started manager's server process: binds {@code socketPath} (for other clients), says
     * {@link #READY} on the starter's first connection {@code first} and serves it, and serves until a shutdown
     * request (or until the process that started it ends, which ends this daemon process).
     *
     * @param socketPath where to listen
     * @param registry the registered types
     * @param first the server's end of the starter's first connection, a shared-memory pipe
     * @param session the starter's session id
     * @throws Exception if the server cannot start
     */
    public static void runChild(String socketPath, Map<String, SerializableCallable<?>> registry, Connection first,
                                long session) throws Exception {
        byte[] key = org.multiprocessing4j.Multiprocessing.currentProcess().authKey();
        try (ManagerServer s = new ManagerServer(UnixDomainSocketAddress.of(socketPath), key, registry)) {
            s.serveFirst(first, session);
            s.awaitShutdown();
        } finally {
            first.close();
        }
    }
}
