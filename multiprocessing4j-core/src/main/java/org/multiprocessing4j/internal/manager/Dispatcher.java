package org.multiprocessing4j.internal.manager;

import java.io.IOException;
import java.io.StreamCorruptedException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.multiprocessing4j.function.SerializableCallable;
import org.multiprocessing4j.internal.codec.ByteSink;
import org.multiprocessing4j.internal.codec.JdkCodec;
import org.multiprocessing4j.internal.manager.served.Caller;

/**
 * Runs one decoded request on a server's objects and makes its reply.
 *
 * <pre>
 * Overview: what a result becomes
 *   the method's declared return type is a registered interface, or (on a built-in kind) a proxied JDK
 *   interface ({@link Kinds#proxied}: a list's subList, a lock's newCondition)   a new held object, sent as a proxy
 *   a proxy (stored earlier)                                                     a proxy again
 *   a Set / other Collection / Map.Entry (views such as keySet(), entrySet())    a detached copy
 *   anything else                                                                itself, serialized
 * </pre>
 */
final class Dispatcher {
    private static final java.util.Set<String> ACQUIRING = java.util.Set.of("lock", "lockInterruptibly", "tryLock",
            "acquire", "tryAcquire");

    private final ServerScope scope;
    /** This connection thread's last call, if it took a lock or a permit: what {@link #undoAcquisition} undoes. */
    private final ThreadLocal<Object[]> acquired = new ThreadLocal<>();

    Dispatcher(ServerScope scope) {
        this.scope = scope;
    }

    /**
     * @param frame the request's bytes
     * @param session the calling session
     * @return the reply's bytes
     * @throws StreamCorruptedException if the frame does not parse (the connection is then dropped)
     */
    byte[] handle(byte[] frame, long session) throws IOException {
        ByteSink out = new ByteSink(64, 64 * 1024);
        handle(frame, frame.length, session, out);
        return out.toByteArray();
    }

    /**
     * Runs one request and writes its reply.
     *
     * @param frame an array whose first {@code length} bytes are the request
     * @param length the request's length
     * @param session the calling session
     * @param out where the reply is written (reset first)
     * @throws StreamCorruptedException if the frame does not parse (the connection is then dropped)
     */
    @SuppressWarnings("unchecked")
    void handle(byte[] frame, int length, long session, ByteSink out) throws IOException {
        Reply reply = null;
        Object result = null;
        acquired.remove();
        Caller.set(new Caller(session, 0));
        try {
            try {
                Request request = RequestCodec.decode(frame, length, loader());
                result = run(request, session);
                if (request instanceof Request.Batch) {
                    reply = new Reply.Values((List<Object>) result);
                }
            } catch (StreamCorruptedException e) {
                throw e;
            } catch (InvocationTargetException e) {
                reply = new Reply.Failure(e.getCause());
            } catch (Exception | LinkageError | StackOverflowError e) {
                reply = new Reply.Failure(e);
            }
            if (reply instanceof Reply.Failure f) {
                reply = new Reply.Failure(Failures.sendable(f.failure()));
            }
            try {
                if (reply == null) {
                    out.reset().putByte(RequestCodec.VALUE).putEncoded(result);
                } else {
                    RequestCodec.write(reply, out);
                }
            } catch (IOException | RuntimeException e) {
                RequestCodec.write(new Reply.Failure(Failures.sendable(new IllegalStateException(
                        "the result cannot be sent back: " + e + " (results travel as copies, serialized)", e))),
                        out);
            }
        } finally {
            Caller.set(null);
        }
    }

    static ClassLoader loader() {
        return JdkCodec.receiverLoader();
    }

    private Object run(Request request, long session) throws Exception {
        if (request instanceof Request.Call c) {
            return call(c, session);
        }
        if (request instanceof Request.Create c) {
            return scope.localProxy(make(c.type(), c.args())); // held when the reply serializes it
        }
        if (request instanceof Request.Named n) {
            ObjectTable.Entry e = scope.table.named(n.type() + ":" + n.name(), () -> {
                try {
                    return make(n.type(), new Object[0]);
                } catch (Exception ex) {
                    throw new IllegalArgumentException(ex.getMessage(), ex);
                }
            });
            return scope.localProxy(e);
        }
        if (request instanceof Request.Adopt a) {
            scope.table.hold(session, a.object());
            return null;
        }
        if (request instanceof Request.Release r) {
            scope.table.release(session, r.object(), r.count());
            return null;
        }
        if (request instanceof Request.Batch b) {
            List<Object> results = new ArrayList<>(b.calls().size());
            for (Request.Call c : b.calls()) {
                results.add(call(c, session));
            }
            return results;
        }
        throw new IllegalArgumentException("not a request the dispatcher runs: " + request);
    }

    /**
     * Gives back the lock or permit the last call of this connection thread took, when its reply could not be
     * delivered (the caller was interrupted and dropped its connection).
     *
     * @param session the caller's session
     */
    void undoAcquisition(long session) {
        Object[] a = acquired.get();
        acquired.remove();
        if (a == null) {
            return;
        }
        Caller.set(new Caller(session, (Long) a[1]));
        try {
            if (a[0] instanceof java.util.concurrent.locks.Lock l) {
                l.unlock();
            } else {
                Object[] args = (Object[]) a[2];
                int permits = args != null && args.length == 1 && args[0] instanceof Integer n ? n : 1;
                ((org.multiprocessing4j.internal.manager.served.ServedSemaphore) a[0]).release(permits);
            }
        } catch (RuntimeException e) {
            // not held any more: nothing to give back
        } finally {
            Caller.set(null);
        }
    }

    private ObjectTable.Entry make(String type, Object[] args) throws Exception {
        Kinds.Kind kind = Kinds.of(type);
        if (kind != null) {
            return scope.table.add(kind.factory().apply(args), kind.type(), true);
        }
        SerializableCallable<?> factory = scope.registry.get(type);
        if (factory == null) {
            throw new IllegalArgumentException("no such type registered with the manager: type=" + type
                    + " registered=" + scope.registry.keySet() + " (register it with Manager.builder().register)");
        }
        Class<?> iface = Class.forName(type, false, loader());
        Object object = factory.call();
        if (!iface.isInstance(object)) {
            throw new IllegalStateException("the factory made an object that does not implement the interface: "
                    + "type=" + type + " class=" + (object == null ? "null" : object.getClass().getName()));
        }
        return scope.table.add(object, iface, false);
    }

    @SuppressWarnings("unchecked")
    private Object call(Request.Call c, long session) throws Exception {
        ObjectTable.Entry e = scope.table.get(c.object());
        int op = DirectMap.op(e, c.method(), c.args());
        if (op != DirectMap.NONE) { // a dict's common method: no reflection, no lock or permit taken
            acquired.remove();
            Object result = DirectMap.run(op, (java.util.concurrent.ConcurrentHashMap<Object, Object>) e.object,
                    c.args());
            return result == null || Proxy.isProxyClass(result.getClass()) ? result : detach(result);
        }
        Method m = MethodTable.of(e.type).method(c.method());
        Caller.set(new Caller(session, c.thread()));
        acquired.remove();
        Object result = m.invoke(e.object, c.args());
        if (ACQUIRING.contains(m.getName()) && !Boolean.FALSE.equals(result)
                && (e.object instanceof java.util.concurrent.locks.Lock
                        || e.object instanceof org.multiprocessing4j.internal.manager.served.ServedSemaphore)) {
            acquired.set(new Object[] {e.object, c.thread(), c.args()});
        }
        Class<?> rt = m.getReturnType();
        if (result == null || Proxy.isProxyClass(result.getClass())) {
            return result;
        }
        if (rt.isInterface() && (scope.registered(rt) || (e.builtin && Kinds.proxied(rt)))) {
            return scope.localProxy(scope.table.add(result, rt, !scope.registered(rt)));
        }
        return detach(result);
    }

    private static Object detach(Object v) {
        if (v instanceof Map.Entry<?, ?> en) {
            return new AbstractMap.SimpleImmutableEntry<>(en.getKey(), en.getValue());
        }
        if (v instanceof Set<?> s) {
            Set<Object> copy = new LinkedHashSet<>();
            for (Object o : s) {
                copy.add(detach(o));
            }
            return copy;
        }
        if (v instanceof Collection<?> c && !(v instanceof java.io.Serializable)) {
            return new ArrayList<>(c);
        }
        if (v instanceof Collection<?> c && v.getClass().getName().startsWith("java.util.concurrent.")) {
            return new ArrayList<>(c);
        }
        return v;
    }
}
