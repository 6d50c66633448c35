package org.multiprocessing4j.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.multiprocessing4j.internal.child.Rehearsal;

/**
 * The queues' part of a ready JVM's rehearsal ({@code internal.child.Rehearsals}): items through a
 * {@link ProcessQueue} from one producer thread to one consumer thread, then from two to two (the contended
 * locks and the wakes), each flow on a queue of its own that is drained and discarded afterwards. Made by
 * reflection (this package keeps the queue's ring to itself).
 */
final class QueueRehearsal implements Rehearsal {
    /**
     * Items per flow: enough for C2 to compile put and take; all of a flow's items (~2.2 MiB) fit in the ring, so
     * it never spills.
     */
    static final int ITEMS = Integer.getInteger("mp4j.rehearsal.queueItems", 16_000);
    private static final Boolean END = Boolean.FALSE;
    /** How often producers and consumers look at the stop flag. */
    private static final int CHECK_EVERY = 32;

    QueueRehearsal() {
    }

    @Override
    public List<String> rehearse(BooleanSupplier stopped) throws InterruptedException {
        List<String> made = new ArrayList<>();
        flow(1, 1, stopped, made);
        if (!stopped.getAsBoolean()) {
            flow(2, 2, stopped, made);
        }
        return made;
    }

    private static void flow(int producers, int consumers, BooleanSupplier stopped, List<String> made)
            throws InterruptedException {
        ProcessQueue<Object> q = new ProcessQueue<>();
        q.ring().unlinkName(); // nothing left in /dev/shm even if this JVM is killed now
        made.add(q.segmentName());
        List<Thread> putters = new ArrayList<>();
        List<Thread> takers = new ArrayList<>();
        try {
            int per = ITEMS / producers;
            for (int c = 0; c < consumers; c++) {
                takers.add(thread(() -> consume(q, stopped), "consumer-" + c));
            }
            for (int p = 0; p < producers; p++) {
                putters.add(thread(() -> produce(q, per, stopped), "producer-" + p));
            }
        } finally {
            for (Thread t : putters) {
                t.join();
            }
            for (int c = 0; c < takers.size(); c++) {
                q.put(END); // one for each consumer, which then ends (a stopped one leaves its own behind)
            }
            for (Thread t : takers) {
                t.join();
            }
            while (q.poll() != null) {
                // the rest of a stopped flow: drained so that its spill segments go
            }
            q.ring().discard();
        }
    }

    private static void produce(ProcessQueue<Object> q, int n, BooleanSupplier stopped) {
        try {
            for (int i = 0; i < n; i++) {
                if (i % CHECK_EVERY == 0 && stopped.getAsBoolean()) {
                    return;
                }
                q.put(Rehearsal.item(i));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void consume(ProcessQueue<Object> q, BooleanSupplier stopped) {
        try {
            for (int i = 0; !END.equals(q.take()); i++) {
                if (i % CHECK_EVERY == 0 && stopped.getAsBoolean()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread thread(Runnable body, String name) {
        Thread t = new Thread(body, "mp4j-rehearsal-queue-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
