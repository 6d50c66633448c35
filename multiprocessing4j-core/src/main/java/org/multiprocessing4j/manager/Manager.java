package org.multiprocessing4j.manager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Lock;
import org.multiprocessing4j.function.SerializableCallable;
import org.multiprocessing4j.internal.manager.ClientSession;
import org.multiprocessing4j.internal.manager.ManagerServer;
import org.multiprocessing4j.internal.manager.Request;

/**
 * A server of shared objects and its clients: Python's {@code multiprocessing.Manager()} and {@code BaseManager}.
 * The objects (a {@link #dict()}, a {@link #list()}, a {@link #queue()}, locks, …) live in the server; what this
 * class hands out are <em>proxies</em>, which turn each method call into a request to the server.
 *
 * <p><b>Making one.</b> {@link #start()} runs the server in a daemon child process (it ends with the process that
 * started it, however that ends, and with {@link #close()}). {@link #serve} runs it in this process, reachable at a
 * socket address; {@link #connect} makes a client of a server that runs elsewhere.
 *
 * <p><b>Proxies</b> implement the JDK interfaces ({@code ConcurrentMap}, {@code List}, {@code BlockingQueue},
 * {@code Lock}) or this package's small ones. Arguments and results travel as copies (serialized); a method whose
 * result is itself a shared object (a registered interface, a list's {@code subList}, a lock's
 * {@code newCondition}) returns a proxy. {@code putIfAbsent}, {@code compute…} and {@code merge} are atomic on the
 * server when their function is serializable (a lambda assigned to a serializable type); a plain function runs here,
 * as a loop of atomic server operations ({@code replace}, {@code putIfAbsent}), as {@code ConcurrentMap}'s
 * defaults do. Iterators read a snapshot and write changes back one operation at a time.
 *
 * <p><b>Handing proxies to other processes.</b> A proxy is serializable: captured by a child's target, sent over a
 * {@code Connection} or stored in another proxy, it reconnects in the receiving process with the server's address
 * and auth key (both travel with it). The object lives while some process holds a proxy of it (and named objects
 * for the server's life): a process lets go of it once its proxies of it are garbage-collected, and of everything
 * (locks its threads held included) when it disconnects or ends.
 *
 * <p><b>Failures.</b> A method that throws on the server throws the same exception type here, with the server's
 * exception (and stack trace) as its cause. A proxy whose server is gone throws {@link UncheckedIOException}.
 *
 * <p><b>Transport.</b> Clients of a started manager talk through a shared-memory {@code Pipe} (a round trip of a
 * few microseconds); clients over TCP through the socket. {@link #batch()} runs many small calls in one round trip.
 *
 * <p><b>Cross-process visibility.</b> A call's effects on the server happen-before its reply, and the server's
 * objects are thread-safe, so whatever a call returns reflects every call whose reply was received before it began.
 *
 * <p><b>If a participating process dies</b>: a client's death (or disconnect) drops its holds, and every lock its
 * threads held is released, so the others go on; a call it had in flight completes on the server or not at all.
 * The server's death makes every proxy call throw {@link UncheckedIOException}; the server process itself ends
 * when the process that started it ends, however that ends.
 *
 * <p><b>Threads.</b> Proxies are thread-safe: each thread's call in flight has a connection of its own, so a thread
 * blocked in {@code take()} or {@code lock()} never holds others up. The holder of an {@link #rlock()} is the
 * calling thread of the calling process.
 */
public final class Manager implements AutoCloseable {
    private final ClientSession session;
    private final ManagerServer localServer;
    private final ServerProcess process;
    private volatile boolean closed;

    Manager(ClientSession session, ManagerServer localServer, ServerProcess process) {
        this.session = session;
        this.localServer = localServer;
        this.process = process;
    }

    /** @return a builder, for registered types */
    public static ManagerBuilder builder() {
        return new ManagerBuilder();
    }

    /**
     * Starts a server in a daemon child process (Python's {@code Manager()}); clients on this machine reach it over
     * shared memory. Its auth key is this process's {@code authKey()}.
     *
     * @return the manager; {@link #close()} ends the server
     * @throws IllegalStateException if the server process cannot start (the message says why)
     */
    public static Manager start() {
        return builder().start();
    }

    /**
     * Runs a server in this process, reachable at {@code address} (Python's {@code BaseManager(address,
     * authkey).get_server().serve_forever()}, without blocking).
     *
     * @param address a TCP address (port 0 for a free port) or a Unix-domain socket address
     * @param authKey the key every client must know; copied
     * @return the manager (also a client of its own server); {@link #close()} ends the server
     * @throws IOException if the address cannot be bound
     */
    public static Manager serve(SocketAddress address, byte[] authKey) throws IOException {
        return builder().serve(address, authKey);
    }

    /**
     * Connects to a manager's server (Python's {@code BaseManager(address, authkey).connect()}).
     *
     * @param address the server's address
     * @param authKey its auth key
     * @return a client; its {@link #close()} only disconnects
     * @throws org.multiprocessing4j.connection.AuthenticationException if the server refuses the key
     * @throws IOException if nothing answers at the address
     */
    public static Manager connect(SocketAddress address, byte[] authKey) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(authKey, "authKey");
        return new Manager(ClientSession.connect(address, authKey), null, null);
    }

    /** @return the server's address (the bound one: the real port for TCP port 0) */
    public SocketAddress address() {
        return session.address();
    }

    /** @param <K> key type @param <V> value type @return a new shared map (Python's {@code m.dict()}) */
    public <K, V> ConcurrentMap<K, V> dict() {
        return make("dict");
    }

    /** @param <E> element type @return a new shared list (Python's {@code m.list()}) */
    public <E> List<E> list() {
        return make("list");
    }

    /** @return a new shared namespace (Python's {@code m.Namespace()}) */
    public Namespace namespace() {
        return make("namespace");
    }

    /** @param <E> element type @return a new unbounded shared queue (Python's {@code m.Queue()}) */
    public <E> BlockingQueue<E> queue() {
        return make("queue");
    }

    /**
     * @param <E> element type
     * @param capacity the most elements it holds
     * @return a new bounded shared queue (Python's {@code m.Queue(maxsize)})
     */
    public <E> BlockingQueue<E> queue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: capacity=" + capacity);
        }
        return make("queue", capacity);
    }

    /** @return a new lock, not reentrant, that any thread of any process may unlock (Python's {@code m.Lock()}) */
    public Lock lock() {
        return make("lock");
    }

    /** @return a new reentrant lock whose holder is a thread of a process (Python's {@code m.RLock()}) */
    public Lock rlock() {
        return make("rlock");
    }

    /** @return a new condition with its own reentrant lock (Python's {@code m.Condition()}) */
    public ManagedCondition condition() {
        return make("condition");
    }

    /** @param permits initial permits @return a new semaphore (Python's {@code m.Semaphore(n)}) */
    public ManagedSemaphore semaphore(int permits) {
        return make("semaphore", permits);
    }

    /** @return a new event (Python's {@code m.Event()}) */
    public ManagedEvent event() {
        return make("event");
    }

    /** @param parties how many must arrive @return a new barrier (Python's {@code m.Barrier(n)}) */
    public ManagedBarrier barrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be positive: parties=" + parties);
        }
        return make("barrier", parties);
    }

    /**
     * @param <T> the value's type
     * @param initial the first value (serializable)
     * @return a new shared value (Python's {@code m.Value(typecode, v)})
     */
    public <T> ManagedValue<T> value(T initial) {
        return make("value", initial);
    }

    /** @param <K> key type @param <V> value type @param name the name @return the map of that name, made on first use */
    public <K, V> ConcurrentMap<K, V> dict(String name) {
        return named("dict", name);
    }

    /** @param <E> element type @param name the name @return the list of that name, made on first use */
    public <E> List<E> list(String name) {
        return named("list", name);
    }

    /** @param <E> element type @param name the name @return the queue of that name, made on first use */
    public <E> BlockingQueue<E> queue(String name) {
        return named("queue", name);
    }

    /** @param name the name @return the namespace of that name, made on first use */
    public Namespace namespace(String name) {
        return named("namespace", name);
    }

    /**
     * Makes a new object of a registered type in the server (Python's {@code m.Maths()}).
     *
     * @param <T> the interface
     * @param type the interface, registered with {@link ManagerBuilder#register}
     * @return a proxy implementing {@code type}
     * @throws IllegalArgumentException if the server has no such type registered
     */
    public <T> T create(Class<T> type) {
        if (!type.isInterface()) {
            throw new IllegalArgumentException("not an interface: type=" + type.getName());
        }
        return type.cast(send(new Request.Create(type.getName(), new Object[0])));
    }

    /** @return a new batch: calls recorded on its proxies run in one round trip */
    public Batch batch() {
        return new Batch(session);
    }

    @SuppressWarnings("unchecked")
    private <T> T make(String kind, Object... args) {
        return (T) send(new Request.Create(kind, args));
    }

    @SuppressWarnings("unchecked")
    private <T> T named(String kind, String name) {
        return (T) send(new Request.Named(kind, Objects.requireNonNull(name, "name")));
    }

    private Object send(Request r) {
        if (closed) {
            throw new IllegalStateException("the manager is closed: address=" + session.address());
        }
        try {
            return session.call(r, false);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** @return the server process's pid, or -1 when the server is not a started one (for tests) */
    long serverPid() {
        return process != null ? process.pid() : -1;
    }

    /** @return how many objects a server run by this process holds, or -1 (for tests) */
    int serverObjects() {
        return localServer != null ? localServer.objects() : -1;
    }

    /** Same as {@link #close()}: Python's {@code shutdown()}. */
    public void shutdown() {
        close();
    }

    /**
     * Ends the server of a started or served manager (its proxies everywhere then throw
     * {@link UncheckedIOException}); only disconnects a connected client. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (process != null) {
            try {
                session.call(new Request.Shutdown(), false);
            } catch (Throwable t) {
                // the server is gone already; the process is ended below
            }
            session.close();
            process.end();
        } else {
            session.close();
            if (localServer != null) {
                localServer.close();
            }
        }
    }

    @Override
    public String toString() {
        return "Manager[address=" + session.address() + (process != null ? " pid=" + process.pid() : "")
                + (localServer != null ? " served here" : "") + (closed ? " closed" : "") + "]";
    }

    static Map<String, SerializableCallable<?>> copy(Map<String, SerializableCallable<?>> registry) {
        return Map.copyOf(registry);
    }
}
