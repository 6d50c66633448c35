package org.multiprocessing4j.manager;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.connection.Pipe;
import org.multiprocessing4j.function.SerializableCallable;
import org.multiprocessing4j.internal.manager.ClientSession;
import org.multiprocessing4j.internal.manager.ManagerServer;

/**
 * Configures a {@link Manager} before it starts: the types it can {@link Manager#create} (Python's
 * {@code BaseManager.register}).
 */
public final class ManagerBuilder {
    private final Map<String, SerializableCallable<?>> registry = new LinkedHashMap<>();
    private Context context;
    private String[] jvmOptions = new String[0];

    ManagerBuilder() {
    }

    /**
     * Registers an interface and the factory of its objects in the server. A method of a registered interface that
     * returns a registered interface returns a proxy.
     *
     * @param <T> the interface
     * @param type the interface
     * @param factory makes a new object in the server (a method reference {@code MathsImpl::new} will do); sent to
     *     the server process, so serializable
     * @return this builder
     * @throws IllegalArgumentException if {@code type} is not an interface
     */
    public <T> ManagerBuilder register(Class<T> type, SerializableCallable<? extends T> factory) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(factory, "factory");
        if (!type.isInterface()) {
            throw new IllegalArgumentException("a registered type must be an interface: type=" + type.getName());
        }
        registry.put(type.getName(), factory);
        return this;
    }

    /**
     * Registers an interface whose objects the server never makes itself but which methods of other registered
     * types return: such results come back as proxies rather than copies (Python's {@code register(…,
     * create_method=False)}). {@link Manager#create} of it throws {@link UnsupportedOperationException}.
     *
     * @param <T> the interface
     * @param type the interface
     * @return this builder
     * @throws IllegalArgumentException if {@code type} is not an interface
     */
    public <T> ManagerBuilder register(Class<T> type) {
        String name = type.getName();
        return register(type, () -> {
            throw new UnsupportedOperationException("registered without a factory, so only returned by other "
                    + "registered types' methods: type=" + name);
        });
    }

    /**
     * Sets the context whose JVM settings (java executable, options, class path, environment) and start method the
     * server process of {@link #start()} gets (Python's {@code ctx.Manager()}); by default
     * {@link org.multiprocessing4j.Multiprocessing#getContext()} as it is at {@code start()}.
     *
     * @param context the context
     * @return this builder
     */
    public ManagerBuilder context(Context context) {
        this.context = Objects.requireNonNull(context, "context");
        return this;
    }

    /**
     * Sets JVM options of the server process alone, after its context's (a manager that holds much data needs a
     * larger heap than a child's modest default: {@code jvmOptions("-Xmx4g")}).
     *
     * @param options the options
     * @return this builder
     */
    public ManagerBuilder jvmOptions(String... options) {
        this.jvmOptions = options.clone();
        return this;
    }

    /**
     * Starts the server in a daemon child process: see {@link Manager#start()}.
     *
     * @return the manager
     * @throws IllegalStateException if the server process cannot start
     */
    public Manager start() {
        CompletableFuture<Pipe> firstPipe = CompletableFuture.supplyAsync(Pipe::open);
        ServerProcess p;
        try {
            p = ServerProcess.start(registry, context, jvmOptions);
        } catch (RuntimeException e) {
            firstPipe.thenAccept(pipe -> {
                pipe.left().close();
                pipe.right().close();
            });
            throw e;
        }
        try {
            byte[] key = org.multiprocessing4j.Multiprocessing.currentProcess().authKey();
            Pipe pipe = firstPipe.join();
            for (int attempt = 0;; attempt++) {
                try {
                    return new Manager(ClientSession.connect(p.address(), key, pipe), null, p);
                } catch (IOException e) {
                    // the socket file appears at bind(2), a moment before listen(2): refused until then
                    if (!(e.getCause() instanceof java.net.ConnectException) || attempt >= 5000) {
                        throw e;
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                }
            }
        } catch (IOException | RuntimeException e) {
            p.end();
            throw new IllegalStateException("cannot connect to the manager's server: address=" + p.address()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs the server in this process: see {@link Manager#serve}.
     *
     * @param address where to listen
     * @param authKey the key clients must know
     * @return the manager
     * @throws IOException if the address cannot be bound
     */
    public Manager serve(SocketAddress address, byte[] authKey) throws IOException {
        Objects.requireNonNull(authKey, "authKey");
        if (authKey.length == 0) {
            throw new IllegalArgumentException("authKey is empty: give a non-empty key");
        }
        ManagerServer server = new ManagerServer(address, authKey, registry);
        try {
            return new Manager(ClientSession.connect(server.address(), authKey), server, null);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }
}
