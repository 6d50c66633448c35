package org.multiprocessing4j.internal.manager;

import java.lang.reflect.Proxy;
import java.net.SocketAddress;
import java.util.Map;
import org.multiprocessing4j.function.SerializableCallable;

/**
 * One manager server's state as its threads see it: the objects, the registered types, and its address and key
 * (which go into every {@link ObjectRef} it hands out). A server's connection threads set {@link #current()}, so
 * that a proxy deserialized there resolves to the object itself ({@link LocalHandler}).
 */
public final class ServerScope {
    private static final ThreadLocal<ServerScope> CURRENT = new ThreadLocal<>();

    final ObjectTable table = new ObjectTable();
    final Map<String, SerializableCallable<?>> registry;
    final SocketAddress address;
    final byte[] key;

    ServerScope(SocketAddress address, byte[] key, Map<String, SerializableCallable<?>> registry) {
        this.address = address;
        this.key = key.clone();
        this.registry = Map.copyOf(registry);
    }

    /** @return the scope of the server whose thread this is, or {@code null} */
    static ServerScope current() {
        return CURRENT.get();
    }

    static void enter(ServerScope scope) {
        CURRENT.set(scope);
    }

    /**
     * A proxy, for use inside the server, of a held object: it calls the object directly and serializes as an
     * {@link ObjectRef}.
     */
    Object localProxy(ObjectTable.Entry e) {
        ClassLoader loader = e.type.getClassLoader() != null ? e.type.getClassLoader()
                : ServerScope.class.getClassLoader();
        return Proxy.newProxyInstance(loader, new Class<?>[] {e.type}, new LocalHandler(this, e));
    }

    boolean registered(Class<?> type) {
        return registry.containsKey(type.getName());
    }
}
