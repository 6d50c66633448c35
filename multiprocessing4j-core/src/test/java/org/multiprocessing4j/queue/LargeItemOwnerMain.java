package org.multiprocessing4j.queue;

import org.multiprocessing4j.ChildProcess;

/**
 * A main program started by a test with plain {@code java -cp}: makes a queue, lets a child put a large item into it
 * (its segment is handed over to this process), prints its pid and ends without taking the item.
 */
public final class LargeItemOwnerMain {
    private LargeItemOwnerMain() {
    }

    public static void main(String[] args) throws Exception {
        ProcessQueue<byte[]> q = new ProcessQueue<>();
        ChildProcess producer = new ChildProcess(() -> q.put(new byte[1 << 20]));
        producer.start();
        producer.join();
        if (producer.exitCode() != 0 || q.size() != 1) {
            throw new IllegalStateException("the item did not arrive: exitCode=" + producer.exitCode());
        }
        System.out.println(ProcessHandle.current().pid());
    }
}
