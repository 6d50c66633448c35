package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.sync.ProcessLock;

/**
 * Python's documentation, "Synchronization between processes": ten children print one at a time under a lock.
 *
 * <pre>
 * def f(l, i):
 *     l.acquire()
 *     try: print('hello world', i)
 *     finally: l.release()
 * lock = Lock()
 * for num in range(10): Process(target=f, args=(lock, num)).start()
 * </pre>
 */
public final class LockExample {
    private LockExample() {
    }

    /**
     * Runs the example.
     *
     * @param args none
     * @throws Exception if a child cannot be started or the wait is interrupted
     */
    public static void main(String[] args) throws Exception {
        run();
    }

    /** @return the children, ended */
    static List<ChildProcess> run() throws Exception {
        ProcessLock lock = new ProcessLock();
        List<ChildProcess> children = new ArrayList<>();
        for (int num = 0; num < 10; num++) {
            int i = num;
            ChildProcess p = new ChildProcess(() -> f(lock, i));
            p.start();
            children.add(p);
        }
        for (ChildProcess p : children) {
            p.join();
        }
        return children;
    }

    static void f(ProcessLock l, int i) {
        l.lock();
        try {
            System.out.println("hello world " + i);
        } finally {
            l.unlock();
        }
    }
}
