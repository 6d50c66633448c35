package org.multiprocessing4j.examples;

import java.util.Arrays;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.shared.SharedDouble;
import org.multiprocessing4j.shared.SharedIntArray;

/**
 * Python's documentation, "Sharing state between processes", shared memory: a child writes a shared double and
 * negates a shared int array, and the parent sees both.
 *
 * <pre>
 * def f(n, a):
 *     n.value = 3.1415927
 *     for i in range(len(a)): a[i] = -a[i]
 * num = Value('d', 0.0); arr = Array('i', range(10))
 * p = Process(target=f, args=(num, arr)); p.start(); p.join(); print(num.value); print(arr[:])
 * </pre>
 */
public final class SharedValueExample {
    private SharedValueExample() {
    }

    /**
     * Runs the example.
     *
     * @param args none
     * @throws Exception if the child cannot be started or the wait is interrupted
     */
    public static void main(String[] args) throws Exception {
        for (String line : run()) {
            System.out.println(line);
        }
    }

    /** @return the two lines the parent prints: the value, then the array */
    static String[] run() throws Exception {
        SharedDouble num = new SharedDouble(0.0);
        SharedIntArray arr = new SharedIntArray(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        ChildProcess p = new ChildProcess(() -> f(num, arr));
        p.start();
        p.join();
        return new String[] {String.valueOf(num.get()), Arrays.toString(arr.toArray())};
    }

    static void f(SharedDouble n, SharedIntArray a) {
        n.set(3.1415927);
        for (int i = 0; i < a.length(); i++) {
            a.set(i, -a.get(i));
        }
    }
}
