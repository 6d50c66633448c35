package org.multiprocessing4j.internal.launch;

import org.multiprocessing4j.queue.ProcessQueue;

/**
 * The main class of a JVM that EarlyJitTest watches compile: a user's loop over a queue's put and take, run often
 * enough for C2 to compile it, so that the JIT's log shows whether the queue's methods were inlined into it.
 */
public final class QueueLoopProbe {
    private QueueLoopProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        ProcessQueue<Object> q = new ProcessQueue<>();
        long sum = 0;
        long end = System.nanoTime() + 800_000_000L;
        for (int round = 0; round < 400 || System.nanoTime() < end; round++) {
            sum += loop(q, round);
        }
        System.out.println("sum " + sum);
    }

    /** The user's loop: C2 compiles it (both as a method and, on its back edges, on-stack). */
    static long loop(ProcessQueue<Object> q, int round) throws InterruptedException {
        long sum = 0;
        for (int i = 0; i < 256; i++) {
            q.put((round + i) & 0xFF);
            sum += (Integer) q.take();
        }
        return sum;
    }
}
