package org.multiprocessing4j.internal.manager;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;

/**
 * The handler of a proxy in a client process: each call is one {@link Request.Call} to the server over the
 * session's connections, except where a method cannot travel.
 *
 * <pre>
 * Overview: where each method runs
 *   iterator(), listIterator(…)               here, over a snapshot; remove/set/add write back by index or value
 *   a map's keySet(), values(), entrySet()    here: views (MapViews) whose queries and changes are map calls and
 *                                              whose iterators read a snapshot of entries
 *   forEach, spliterator, stream, parallelStream, a default method given an argument that is not serializable
 *                                              here: the interface's default code, which calls back through the
 *                                              proxy (a loop of atomic server operations, as ConcurrentMap's defaults)
 *   drainTo(c[, max])                          here: a loop of poll()
 *   equals(another proxy)                      here: same server and object
 *   everything else                            on the server, atomically where the object is (ConcurrentHashMap)
 * </pre>
 */
final class RemoteHandler implements InvocationHandler, Serializable {
    private static final long serialVersionUID = 1L;

    private final transient ClientSession session;
    private final ObjectRef ref;
    /** The routes of the methods called lately, looked up by identity (a proxy class passes the same Method). */
    private final transient Route[] routes = new Route[8];
    private transient int nextRoute;

    RemoteHandler(ClientSession session, ObjectRef ref) {
        this.session = session;
        this.ref = ref;
    }

    ClientSession session() {
        return session;
    }

    int objectId() {
        return ref.id;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        Route r = route(proxy, method);
        switch (r.how) {
            case Route.REMOTE:
                return session.callMethod(ref.id, r.index, args, r.interruptible);
            case Route.EQUALS:
                if (args[0] != null && Proxy.isProxyClass(args[0].getClass())) {
                    return Proxy.getInvocationHandler(args[0]) instanceof RemoteHandler h
                            && h.ref.address.equals(ref.address) && h.ref.id == ref.id;
                }
                break;
            case Route.ITERATOR:
                return Snapshots.iterator(proxy, args == null ? 0 : (Integer) args[0],
                        method.getName().equals("listIterator"));
            case Route.VIEW:
                Method entrySet = Map.class.getMethod("entrySet");
                return MapViews.of(method.getName(), asMap(proxy),
                        () -> MapViews.asEntries(fetch(proxy, entrySet)));
            case Route.DRAIN:
                return drain((BlockingQueue<?>) proxy, args);
            case Route.HERE:
                return InvocationHandler.invokeDefault(proxy, method, args);
            case Route.HERE_UNLESS_SERIALIZABLE:
                if (!serializable(args)) {
                    return InvocationHandler.invokeDefault(proxy, method, args);
                }
                break;
            default:
                break;
        }
        return session.callMethod(ref.id, r.index, args, r.interruptible);
    }

    /** The route of one of this proxy's methods: from the cache, else worked out once. */
    private Route route(Object proxy, Method method) {
        Route[] cache = routes;
        for (Route r : cache) {
            if (r != null && r.method == method) {
                return r;
            }
        }
        Route r = Route.of(proxy, method);
        cache[nextRoute++ & (cache.length - 1)] = r; // races lose a cache entry at worst: a Route is immutable
        return r;
    }

    /** One call of {@code method} on the server's object: a round trip. */
    private Object remote(Object proxy, Method method, Object[] args) throws Throwable {
        Route r = route(proxy, method);
        return session.callMethod(ref.id, r.index, args, r.interruptible);
    }

    /** A no-argument call that declares no checked exception, as a map view's snapshot needs it. */
    private Object fetch(Object proxy, Method method) {
        try {
            return remote(proxy, method, null);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new java.lang.reflect.UndeclaredThrowableException(t);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> asMap(Object proxy) {
        return (Map<Object, Object>) proxy;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int drain(BlockingQueue q, Object[] args) {
        Collection c = (Collection) args[0];
        if (c == q) {
            throw new IllegalArgumentException("drainTo into the queue itself");
        }
        int max = args.length > 1 ? (Integer) args[1] : Integer.MAX_VALUE;
        int n = 0;
        Object e;
        while (n < max && (e = q.poll()) != null) {
            c.add(e);
            n++;
        }
        return n;
    }

    static boolean serializable(Object[] args) {
        if (args != null) {
            for (Object a : args) {
                if (a != null && !(a instanceof Serializable)) {
                    return false;
                }
            }
        }
        return true;
    }

    private Object writeReplace() throws ObjectStreamException {
        return new ObjectRef(ref.address, ref.key, ref.id, ref.type, 0); // the receiver adopts it
    }

    @Override
    public String toString() {
        return "RemoteHandler[" + ref + "]";
    }
}
