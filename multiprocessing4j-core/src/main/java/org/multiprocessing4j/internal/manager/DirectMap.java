package org.multiprocessing4j.internal.manager;

import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The most common methods of a built-in dict (a {@link ConcurrentHashMap} whose proxies implement
 * {@link ConcurrentMap}), called directly by the server rather than through reflection: {@code get}, {@code put},
 * {@code containsKey}, {@code remove(k)}, {@code size}, {@code isEmpty}, {@code putIfAbsent}, {@code getOrDefault}.
 * A call with another number of arguments than the method has goes through reflection, which refuses it.
 */
final class DirectMap {
    static final int NONE = -1;
    private static final int GET = 0;
    private static final int PUT = 1;
    private static final int CONTAINS_KEY = 2;
    private static final int REMOVE = 3;
    private static final int SIZE = 4;
    private static final int IS_EMPTY = 5;
    private static final int PUT_IF_ABSENT = 6;
    private static final int GET_OR_DEFAULT = 7;
    private static final int[] ARGC = {1, 2, 1, 1, 0, 0, 2, 2};
    /** By method number in ConcurrentMap's {@link MethodTable}: the operation, or NONE. */
    private static final int[] OPS = ops();

    private DirectMap() {
    }

    private static int[] ops() {
        MethodTable t = MethodTable.of(ConcurrentMap.class);
        int[] ops = new int[t.size()];
        for (int i = 0; i < ops.length; i++) {
            ops[i] = opOf(t.method(i));
        }
        return ops;
    }

    private static int opOf(Method m) {
        String sig = MethodTable.signature(m);
        switch (sig) {
            case "get(java.lang.Object,)":
                return GET;
            case "put(java.lang.Object,java.lang.Object,)":
                return PUT;
            case "containsKey(java.lang.Object,)":
                return CONTAINS_KEY;
            case "remove(java.lang.Object,)":
                return REMOVE;
            case "size()":
                return SIZE;
            case "isEmpty()":
                return IS_EMPTY;
            case "putIfAbsent(java.lang.Object,java.lang.Object,)":
                return PUT_IF_ABSENT;
            case "getOrDefault(java.lang.Object,java.lang.Object,)":
                return GET_OR_DEFAULT;
            default:
                return NONE;
        }
    }

    /**
     * @param e a held object
     * @param method a method number of its interface
     * @param args the call's arguments
     * @return the direct operation for that call, or {@link #NONE}
     */
    static int op(ObjectTable.Entry e, int method, Object[] args) {
        if (!e.builtin || e.type != ConcurrentMap.class || !(e.object instanceof ConcurrentHashMap)
                || method < 0 || method >= OPS.length) {
            return NONE;
        }
        int op = OPS[method];
        return op != NONE && ARGC[op] == (args == null ? 0 : args.length) ? op : NONE;
    }

    /**
     * Runs an operation.
     *
     * @param op from {@link #op}
     * @param map the dict
     * @param a the arguments
     * @return the method's result (boxed)
     */
    static Object run(int op, ConcurrentHashMap<Object, Object> map, Object[] a) {
        switch (op) {
            case GET:
                return map.get(a[0]);
            case PUT:
                return map.put(a[0], a[1]);
            case CONTAINS_KEY:
                return map.containsKey(a[0]);
            case REMOVE:
                return map.remove(a[0]);
            case SIZE:
                return map.size();
            case IS_EMPTY:
                return map.isEmpty();
            case PUT_IF_ABSENT:
                return map.putIfAbsent(a[0], a[1]);
            case GET_OR_DEFAULT:
                return map.getOrDefault(a[0], a[1]);
            default:
                throw new IllegalArgumentException("not a direct operation: op=" + op);
        }
    }
}
