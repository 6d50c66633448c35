package org.multiprocessing4j.internal.manager;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;

/**
 * Where a method of a client's proxy runs ({@link RemoteHandler}'s overview), worked out once per proxy and method
 * rather than on every call: the checks by name, the method's number in its interface's {@link MethodTable} and
 * whether it throws InterruptedException. Immutable.
 */
final class Route {
    /** On the server: one round trip. */
    static final int REMOTE = 0;
    /** {@code equals}: here if the argument is a proxy, else on the server. */
    static final int EQUALS = 1;
    /** {@code iterator()} or {@code listIterator(…)} of a collection: here, over a snapshot. */
    static final int ITERATOR = 2;
    /** {@code keySet()}, {@code values()}, {@code entrySet()} of a map: a view, here. */
    static final int VIEW = 3;
    /** {@code drainTo} of a queue: a loop of poll() here. */
    static final int DRAIN = 4;
    /** A default method that always runs here (forEach, spliterator, stream, parallelStream). */
    static final int HERE = 5;
    /** A default method: here if an argument is not serializable, else on the server. */
    static final int HERE_UNLESS_SERIALIZABLE = 6;

    private static final Set<String> ALWAYS_HERE = Set.of("forEach", "spliterator", "stream", "parallelStream");

    final Method method;
    final int how;
    final int index;
    final boolean interruptible;

    private Route(Method method, int how, int index, boolean interruptible) {
        this.method = method;
        this.how = how;
        this.index = index;
        this.interruptible = interruptible;
    }

    /**
     * @param proxy the proxy (its interfaces decide which local behaviours apply)
     * @param method a method of its interface, or of {@code Object}
     * @return its route
     * @throws IllegalArgumentException if the interface has no such method
     */
    static Route of(Object proxy, Method method) {
        String name = method.getName();
        int argc = method.getParameterCount();
        int how;
        if (method.getDeclaringClass() == Object.class && name.equals("equals")) {
            how = EQUALS;
        } else if (proxy instanceof Collection
                && ((name.equals("iterator") && argc == 0) || name.equals("listIterator"))) {
            how = ITERATOR;
        } else if (proxy instanceof Map && argc == 0 && MapViews.isView(name)) {
            how = VIEW;
        } else if (name.equals("drainTo") && proxy instanceof BlockingQueue) {
            how = DRAIN;
        } else if (method.isDefault()) {
            how = ALWAYS_HERE.contains(name) ? HERE : HERE_UNLESS_SERIALIZABLE;
        } else {
            how = REMOTE;
        }
        boolean interruptible = false;
        for (Class<?> e : method.getExceptionTypes()) {
            interruptible |= e == InterruptedException.class;
        }
        int index;
        try {
            index = MethodTable.of(proxy.getClass().getInterfaces()[0]).indexOf(method);
        } catch (IllegalArgumentException e) {
            if (how == REMOTE || how == EQUALS || how == HERE_UNLESS_SERIALIZABLE) {
                throw e;
            }
            index = -1; // runs here only
        }
        return new Route(method, how, index, interruptible);
    }
}
