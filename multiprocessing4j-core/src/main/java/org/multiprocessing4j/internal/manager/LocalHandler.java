package org.multiprocessing4j.internal.manager;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.multiprocessing4j.internal.manager.served.Caller;

/**
 * The handler of a proxy inside the server process: it calls the held object directly. Serialized (in a reply, or
 * inside a value sent to a client), it becomes an {@link ObjectRef} that the receiving session already holds.
 */
final class LocalHandler implements InvocationHandler, Serializable {
    private static final long serialVersionUID = 1L;

    private final transient ServerScope scope;
    private final transient ObjectTable.Entry entry;

    LocalHandler(ServerScope scope, ObjectTable.Entry entry) {
        this.scope = scope;
        this.entry = entry;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class && method.getName().equals("equals")) {
            return args[0] != null && java.lang.reflect.Proxy.isProxyClass(args[0].getClass())
                    && java.lang.reflect.Proxy.getInvocationHandler(args[0]) instanceof LocalHandler h
                    && h.entry == entry;
        }
        try {
            return method.invoke(entry.object, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private Object writeReplace() throws ObjectStreamException {
        long session = Caller.current().session();
        scope.table.hold(session, entry.id);
        return new ObjectRef(scope.address, scope.key, entry.id, entry.type.getName(), session);
    }
}
