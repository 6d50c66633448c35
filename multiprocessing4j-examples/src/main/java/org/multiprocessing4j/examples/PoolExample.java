package org.multiprocessing4j.examples;

import java.util.List;
import org.multiprocessing4j.pool.ProcessPool;

/**
 * Python's documentation, "Using a pool of workers": five worker processes square three numbers.
 *
 * <pre>
 * def f(x): return x*x
 * with Pool(5) as p: print(p.map(f, [1, 2, 3]))
 * </pre>
 */
public final class PoolExample {
    private PoolExample() {
    }

    /**
     * Runs the example.
     *
     * @param args none
     */
    public static void main(String[] args) {
        System.out.println(run());
    }

    /** @return the squares */
    static List<Integer> run() {
        try (ProcessPool p = new ProcessPool(5)) {
            return p.map(PoolExample::f, List.of(1, 2, 3));
        }
    }

    static int f(int x) {
        return x * x;
    }
}
