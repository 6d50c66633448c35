package org.multiprocessing4j.internal.manager;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The methods of a proxied interface, numbered the same way in every JVM that has the same interface: its public
 * instance methods and {@code equals}, {@code hashCode}, {@code toString}, one per signature (name and parameter
 * types), sorted by signature. A {@link Request.Call} names its method by this number.
 */
public final class MethodTable {
    private static final ClassValue<MethodTable> TABLES = new ClassValue<>() {
        @Override
        protected MethodTable computeValue(Class<?> type) {
            return new MethodTable(type);
        }
    };

    private final Class<?> type;
    private final Method[] methods;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<Method, Integer> byMethod = new java.util.concurrent.ConcurrentHashMap<>();

    private MethodTable(Class<?> type) {
        this.type = type;
        Map<String, Method> bySignature = new HashMap<>();
        List<Method> all = new ArrayList<>(Arrays.asList(type.getMethods()));
        try {
            all.add(Object.class.getMethod("equals", Object.class));
            all.add(Object.class.getMethod("hashCode"));
            all.add(Object.class.getMethod("toString"));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        for (Method m : all) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            bySignature.merge(signature(m), m, (a, b) ->
                    a.getDeclaringClass().isAssignableFrom(b.getDeclaringClass()) ? b : a);
        }
        List<String> keys = bySignature.keySet().stream().sorted().collect(Collectors.toList());
        methods = new Method[keys.size()];
        for (int i = 0; i < methods.length; i++) {
            methods[i] = bySignature.get(keys.get(i));
            methods[i].trySetAccessible();
            index.put(keys.get(i), i);
        }
    }

    /** @param type the interface @return its table */
    public static MethodTable of(Class<?> type) {
        return TABLES.get(type);
    }

    static String signature(Method m) {
        StringBuilder b = new StringBuilder(m.getName()).append('(');
        for (Class<?> p : m.getParameterTypes()) {
            b.append(p.getName()).append(',');
        }
        return b.append(')').toString();
    }

    /**
     * @param m a method of the interface (or of {@code Object})
     * @return its number
     * @throws IllegalArgumentException if the interface has no such method
     */
    public int indexOf(Method m) {
        Integer i = byMethod.get(m);
        if (i != null) {
            return i;
        }
        i = index.get(signature(m));
        if (i == null) {
            throw new IllegalArgumentException("no such method in the proxied interface: interface="
                    + type.getName() + " method=" + signature(m));
        }
        byMethod.put(m, i);
        return i;
    }

    /** @return how many methods the interface has (numbers 0 to this, exclusive) */
    int size() {
        return methods.length;
    }

    /**
     * @param i a number
     * @return its method
     * @throws IllegalArgumentException if out of range (a peer with another version of the interface)
     */
    public Method method(int i) {
        if (i < 0 || i >= methods.length) {
            throw new IllegalArgumentException("no method of that number: interface=" + type.getName()
                    + " method=" + i + " methods=" + methods.length
                    + " (do client and server have the same version of the interface?)");
        }
        return methods[i];
    }
}
