package org.multiprocessing4j.internal.manager;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The state behind {@code Manager.batch()}: recorded {@link Request.Call}s, sent as one {@link Request.Batch}.
 */
public final class BatchRecorder {
    private static final Set<String> NOT_BATCHED = Set.of("iterator", "listIterator", "forEach", "spliterator",
            "stream", "parallelStream", "drainTo");

    private final ClientSession session;
    private final List<Request.Call> calls = new ArrayList<>();

    /** @param session the manager's session */
    public BatchRecorder(ClientSession session) {
        this.session = session;
    }

    /**
     * @param handler a proxy's handler
     * @return the session of the proxy's manager
     * @throws IllegalArgumentException if it is not the handler of a manager proxy in a client
     */
    public static ClientSession sessionOf(InvocationHandler handler) {
        if (handler instanceof RemoteHandler h) {
            return h.session();
        }
        throw new IllegalArgumentException("not a manager proxy of a client: handler=" + handler);
    }

    /**
     * @param target the handler of a proxy of this session
     * @return a handler that records calls on the same object
     * @throws IllegalArgumentException if the proxy belongs to another manager
     */
    public InvocationHandler recording(InvocationHandler target) {
        if (!(target instanceof RemoteHandler h) || h.session() != session) {
            throw new IllegalArgumentException("not a proxy of this batch's manager: handler=" + target);
        }
        int object = h.objectId();
        return (proxy, method, args) -> {
            if (NOT_BATCHED.contains(method.getName())
                    || (method.isDefault() && !RemoteHandler.serializable(args))) {
                throw new IllegalArgumentException("cannot be batched (it runs in the caller): method="
                        + method.getName());
            }
            MethodTable table = MethodTable.of(proxy.getClass().getInterfaces()[0]);
            calls.add(new Request.Call(object, table.indexOf(method), Thread.currentThread().getId(), args));
            return defaultValue(method);
        };
    }

    private static Object defaultValue(Method m) {
        Class<?> t = m.getReturnType();
        if (!t.isPrimitive() || t == void.class) {
            return null;
        }
        if (t == boolean.class) {
            return false;
        }
        if (t == char.class) {
            return '\0';
        }
        if (t == long.class) {
            return 0L;
        }
        if (t == double.class) {
            return 0.0;
        }
        if (t == float.class) {
            return 0f;
        }
        if (t == byte.class) {
            return (byte) 0;
        }
        if (t == short.class) {
            return (short) 0;
        }
        return 0;
    }

    /** @return how many calls are recorded */
    public int size() {
        return calls.size();
    }

    /**
     * @return the results
     * @throws RuntimeException the first failure, as a proxy would throw it (checked ones wrapped)
     */
    public List<Object> run() {
        List<Request.Call> sending = new ArrayList<>(calls);
        calls.clear();
        if (sending.isEmpty()) {
            return List.of();
        }
        try {
            return session.batch(sending);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new java.lang.reflect.UndeclaredThrowableException(t);
        }
    }
}
