package org.multiprocessing4j.internal.manager;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.multiprocessing4j.connection.Client;
import org.multiprocessing4j.connection.Connection;
import org.multiprocessing4j.connection.Pipe;
import org.multiprocessing4j.internal.codec.JdkCodec;
import org.multiprocessing4j.internal.os.Nonces;

/**
 * This process's conversation with one manager server: a random session id and a pool of connections, one per
 * call in flight (a thread blocked in {@code queue.take()} holds one; other threads get others). One session per
 * server address per process: every proxy of that server in this process shares it.
 *
 * <pre>
 * Overview: opening a connection (the server's side is in {@link ManagerServer})
 *  1. connect with {@link Client#connect} (the mutual auth-key challenge; a wrong key throws
 *     AuthenticationException here).
 *  2. send Hello(session, pipeEnd): for a Unix-socket address (this machine), a fresh shared-memory Pipe's right
 *     end, then close our copy of it; for TCP (remote), none.
 *  3. receive the server's "ok"; with a pipe, close the socket: the conversation goes on over the pipe, whose
 *     end-of-stream also tells the server when this process is gone.
 *  A started manager's first connection is made without these steps: its pipe went to the server process with its
 *  task ({@link #over}).
 *  Per call: take an idle connection (or open one), write the request into its buffer, send it, wait for the
 *  reply (first in ReplySpin, then in the connection's receive, into the connection's reply array), put the
 *  connection back. A reply that is a String, a boxed primitive or null is decoded in place before the connection
 *  goes back; any other is copied out first and decoded after (it may hold proxies, whose adoption is a call).
 *  The idle connections are a stack guarded by its monitor: an uncontended monitor is one compare-and-set on entry
 *  and one on exit even in the interpreter, which a young client runs its first calls in.
 *  A connection that fails (the server gone) is dropped and the call throws UncheckedIOException.
 *  Interrupts, for a method that throws InterruptedException: before the request left, the connection goes back to
 *  the pool and the caller gets InterruptedException; while waiting for the reply, the connection is dropped (the
 *  server finishes the call on its own) and the caller gets InterruptedException. For other methods the call goes
 *  on and the interrupt status is set again afterwards.
 * </pre>
 */
public final class ClientSession implements AutoCloseable {
    private static final Map<SocketAddress, ClientSession> SESSIONS = new ConcurrentHashMap<>();
    private static final ThreadLocal<ClientSession> DECODING = new ThreadLocal<>();

    private final long id;
    private final SocketAddress address;
    private final byte[] key;
    /** Connections not in use, the last used on top; guarded by itself. */
    private final ArrayDeque<CallChannel> idle = new ArrayDeque<>();
    private final Set<Connection> all = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private final References references = new References(this);

    private ClientSession(SocketAddress address, byte[] key) {
        this(address, key, newId());
    }

    private ClientSession(SocketAddress address, byte[] key, long id) {
        this.id = id;
        this.address = address;
        this.key = key.clone();
    }

    /**
     * @param address a server's address
     * @return the session whose reply this thread is decoding, if it is with that server; else {@code null}
     */
    static ClientSession decoding(SocketAddress address) {
        ClientSession s = DECODING.get();
        return s != null && s.address.equals(address) ? s : null;
    }

    /**
     * This process's session with a server, made on first use (without connecting yet): the one proxies that
     * arrive from elsewhere use.
     *
     * @param address the server's address
     * @param key its auth key
     * @return the session
     */
    public static ClientSession of(SocketAddress address, byte[] key) {
        return SESSIONS.compute(address, (a, s) -> s == null || s.closed ? new ClientSession(a, key) : s);
    }

    /**
     * Opens a new session and one connection at once, so that a wrong key or address fails here. It becomes this
     * process's session with that server for proxies that arrive from elsewhere, unless there is one already.
     *
     * @param address the server's address
     * @param key its auth key
     * @return the session
     * @throws org.multiprocessing4j.connection.AuthenticationException if the server refuses the key
     * @throws IOException if nothing answers there
     */
    public static ClientSession connect(SocketAddress address, byte[] key) throws IOException {
        ClientSession s = new ClientSession(address, key);
        s.giveBack(new CallChannel(s.open()));
        return s.register();
    }

    /** @return a fresh session id (random) */
    public static long newId() {
        return ByteBuffer.wrap(Nonces.random(8)).getLong();
    }

    /**
     * A session whose first connection is already open: a started manager's, whose server process received the
     * other end, and the session id, with its task (step 0 in {@link ManagerServer}). It becomes this process's
     * session with that server for proxies that arrive from elsewhere, unless there is one already.
     *
     * @param address the server's address, for further connections
     * @param key its auth key
     * @param id the session id the server knows
     * @param first the open connection
     * @return the session
     */
    public static ClientSession over(SocketAddress address, byte[] key, long id, Connection first) {
        ClientSession s = new ClientSession(address, key, id);
        s.all.add(first);
        s.giveBack(new CallChannel(first));
        return s.register();
    }

    /** Makes this the process's session with its server, unless there is an open one already. */
    private ClientSession register() {
        SESSIONS.compute(address, (a, old) -> old == null || old.closed ? this : old);
        return this;
    }

    /** @return the session's id */
    public long id() {
        return id;
    }

    /** @return the server's address */
    public SocketAddress address() {
        return address;
    }

    /** @return the server's auth key (a copy) */
    public byte[] key() {
        return key.clone();
    }

    private Connection open() throws IOException {
        if (closed) {
            throw new IOException("the manager client is closed: address=" + address);
        }
        Connection socket = Client.connect(address, key);
        try {
            if (address instanceof UnixDomainSocketAddress) {
                Pipe pipe = Pipe.open();
                new Hello(id, pipe.right()).write(socket);
                pipe.right().close();
                socket.recv();
                socket.close();
                all.add(pipe.left());
                return pipe.left();
            }
            new Hello(id, null).write(socket);
            socket.recv();
            all.add(socket);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Counts a proxy made from a reference this session received (see {@link References}).
     *
     * @param handler the proxy's handler (reachable exactly as long as the proxy)
     * @param object the object's id
     */
    void track(Object handler, int object) {
        references.track(handler, object);
    }

    boolean isClosed() {
        return closed;
    }

    /** Counts this session as a holder of an object it received from elsewhere. @param object the object's id */
    void adopt(int object) {
        try {
            call(new Request.Adopt(object), false);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Runs one request on the server.
     *
     * @param request the request
     * @param interruptible whether an interrupt ends the wait with InterruptedException
     * @return the result
     * @throws Throwable what the server's call threw (as {@link Failures#local}), InterruptedException,
     *     UncheckedIOException if the server is gone, IllegalArgumentException if an argument is not serializable
     */
    public Object call(Request request, boolean interruptible) throws Throwable {
        CallChannel ch = borrow();
        try {
            RequestCodec.write(request, ch.out);
        } catch (IOException | RuntimeException | Error e) {
            throw writeFailed(ch, e);
        }
        return exchange(ch, interruptible);
    }

    /**
     * Calls a method of a held object on the server: {@link #call} of a {@link Request.Call} from this thread,
     * without making the request object.
     *
     * @param object the object's id
     * @param method the method's number in its interface's {@link MethodTable}
     * @param args the arguments, or {@code null}
     * @param interruptible whether an interrupt ends the wait with InterruptedException
     * @return the result
     * @throws Throwable as {@link #call}
     */
    Object callMethod(int object, int method, Object[] args, boolean interruptible) throws Throwable {
        CallChannel ch = borrow();
        try {
            RequestCodec.writeCall(ch.out.reset(), object, method, Thread.currentThread().getId(), args);
        } catch (IOException | RuntimeException | Error e) {
            throw writeFailed(ch, e);
        }
        return exchange(ch, interruptible);
    }

    /**
     * A request could not be written: gives {@code ch} back and returns what to throw (an argument that is not
     * serializable as IllegalArgumentException, anything else as it is).
     */
    private Throwable writeFailed(CallChannel ch, Throwable e) {
        giveBack(ch);
        if (e instanceof NotSerializableException) {
            return new IllegalArgumentException("an argument is not serializable: " + e.getMessage()
                    + " (values sent to a manager travel as copies, serialized)", e);
        }
        return e;
    }

    /** Sends the request in {@code ch}'s buffer, waits for the reply, gives {@code ch} back, returns the result. */
    private Object exchange(CallChannel ch, boolean interruptible) throws Throwable {
        Connection c = ch.connection;
        int length;
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    ch.send();
                    break;
                } catch (InterruptedIOException e) {
                    // nothing left: the connection is intact
                    Thread.interrupted();
                    if (interruptible) {
                        giveBack(ch);
                        throw new InterruptedException("interrupted before the request left: address=" + address);
                    }
                    interrupted = true;
                }
            }
            ch.spin.await(c);
            for (;;) {
                try {
                    length = ch.receive();
                    break;
                } catch (InterruptedIOException e) {
                    Thread.interrupted();
                    if (interruptible) {
                        drop(ch);
                        throw new InterruptedException("interrupted while waiting for the manager: address="
                                + address + " (the server finishes the call on its own)");
                    }
                    interrupted = true;
                }
            }
        } catch (IOException e) {
            drop(ch);
            throw new UncheckedIOException("the manager's server is gone or unreachable: address=" + address
                    + ": " + e.getMessage(), e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] answer = ch.reply();
        if (length >= 2 && answer[0] == RequestCodec.VALUE && !JdkCodec.isObjectStream(answer, 1)) {
            try {
                return JdkCodec.INSTANCE.decode(answer, 1, length - 1, null); // no class is resolved: no loader
            } catch (IOException e) {
                throw new UncheckedIOException("cannot decode the manager's reply: " + e.getMessage(), e);
            } finally {
                giveBack(ch); // the message was read whole: the connection is in step either way
            }
        }
        answer = ch.takeReply(length);
        giveBack(ch);
        return decode(answer);
    }

    /** Decodes a reply that may hold proxies (their handlers are made in this session) or a failure. */
    private Object decode(byte[] answer) throws Throwable {
        ClassLoader loader = JdkCodec.receiverLoader();
        Reply reply;
        DECODING.set(this);
        try {
            reply = RequestCodec.decodeReply(answer, loader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode the manager's reply: " + e.getMessage(), e);
        } finally {
            DECODING.remove();
        }
        if (reply instanceof Reply.Failure f) {
            throw Failures.local(f.failure());
        }
        if (reply instanceof Reply.Values vs) {
            return vs.values();
        }
        return ((Reply.Value) reply).value();
    }

    /**
     * Runs calls in one round trip.
     *
     * @param calls the calls
     * @return their results, in order
     * @throws Throwable as {@link #call}: the first call that failed (the ones before it took effect)
     */
    @SuppressWarnings("unchecked")
    public List<Object> batch(List<Request.Call> calls) throws Throwable {
        return (List<Object>) call(new Request.Batch(calls), false);
    }

    private CallChannel borrow() {
        CallChannel c;
        synchronized (idle) {
            c = idle.poll();
        }
        if (c != null) {
            return c;
        }
        try {
            return new CallChannel(open());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the manager: address=" + address + ": " + e.getMessage(),
                    e);
        }
    }

    private void giveBack(CallChannel c) {
        synchronized (idle) {
            idle.push(c);
        }
    }

    private void drop(CallChannel c) {
        all.remove(c.connection);
        c.connection.close();
    }

    /** Disconnects: closes every connection; the server drops this session's holds. Idempotent. */
    @Override
    public void close() {
        closed = true;
        SESSIONS.remove(address, this);
        for (Connection c : all) {
            c.close();
        }
        all.clear();
        synchronized (idle) {
            idle.clear();
        }
    }
}
