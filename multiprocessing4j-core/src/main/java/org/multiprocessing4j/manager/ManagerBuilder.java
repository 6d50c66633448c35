package org.multiprocessing4j.manager;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.multiprocessing4j.Context;
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
        byte[] key = org.multiprocessing4j.Multiprocessing.currentProcess().authKey();
        ServerProcess p = ServerProcess.start(registry, context, jvmOptions, key);
        return new Manager(p.session(), null, p);
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
