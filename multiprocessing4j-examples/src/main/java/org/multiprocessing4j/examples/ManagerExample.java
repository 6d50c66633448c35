package org.multiprocessing4j.examples;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.manager.Manager;

/**
 * Python's documentation, "Sharing state between processes", server process: a child changes a dict and a list
 * held by a manager, and the parent sees the changes.
 *
 * <pre>
 * def f(d, l):
 *     d[1] = '1'; d['2'] = 2; d[0.25] = None; l.reverse()
 * with Manager() as manager:
 *     d = manager.dict(); l = manager.list(range(10))
 *     p = Process(target=f, args=(d, l)); p.start(); p.join(); print(d); print(l)
 * </pre>
 * A {@code ConcurrentMap} refuses {@code null} values, so the Java twin stores {@code "none"} where Python stores
 * {@code None}.
 */
public final class ManagerExample {
    private ManagerExample() {
    }

    /**
     * Runs the example.
     *
     * @param args none
     * @throws Exception if the manager or the child cannot be started
     */
    public static void main(String[] args) throws Exception {
        for (String line : run()) {
            System.out.println(line);
        }
    }

    /** @return the two lines the parent prints: the dict, then the list */
    static String[] run() throws Exception {
        try (Manager manager = Manager.start()) {
            Map<Object, Object> d = manager.dict();
            List<Integer> l = manager.list();
            for (int i = 0; i < 10; i++) {
                l.add(i);
            }
            ChildProcess p = new ChildProcess(() -> f(d, l));
            p.start();
            p.join();
            return new String[] {String.valueOf(new java.util.TreeMap<>(stringKeys(d))), String.valueOf(l)};
        }
    }

    static void f(Map<Object, Object> d, List<Integer> l) {
        d.put(1, "1");
        d.put("2", 2);
        d.put(0.25, "none");
        Collections.reverse(l);
    }

    /** The dict with its keys as strings, so it prints in one order whatever the server's map keeps. */
    private static Map<String, Object> stringKeys(Map<Object, Object> d) {
        Map<String, Object> m = new java.util.HashMap<>();
        d.forEach((k, v) -> m.put(String.valueOf(k), v));
        return m;
    }
}
