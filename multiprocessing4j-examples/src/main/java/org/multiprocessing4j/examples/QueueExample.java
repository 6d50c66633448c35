package org.multiprocessing4j.examples;

import java.util.Arrays;
import java.util.List;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.queue.ProcessQueue;

/**
 * Python's documentation, "Exchanging objects between processes", queues: a child puts a list on a queue and the
 * parent takes it.
 *
 * <pre>
 * def f(q):
 *     q.put([42, None, 'hello'])
 * q = Queue(); p = Process(target=f, args=(q,)); p.start(); print(q.get()); p.join()
 * </pre>
 */
public final class QueueExample {
    private QueueExample() {
    }

    /**
     * Runs the example.
     *
     * @param args none
     * @throws Exception if the child cannot be started or the wait is interrupted
     */
    public static void main(String[] args) throws Exception {
        System.out.println(run());
    }

    /** @return what the parent took from the queue */
    static List<Object> run() throws Exception {
        ProcessQueue<List<Object>> q = new ProcessQueue<>();
        ChildProcess p = new ChildProcess(() -> f(q));
        p.start();
        List<Object> got = q.take();
        p.join();
        q.close();
        return got;
    }

    static void f(ProcessQueue<List<Object>> q) throws InterruptedException {
        q.put(Arrays.asList(42, null, "hello"));
    }
}
