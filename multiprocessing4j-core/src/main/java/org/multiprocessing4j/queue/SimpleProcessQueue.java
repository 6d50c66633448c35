package org.multiprocessing4j.queue;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import org.multiprocessing4j.internal.queue.ItemRing;
import org.multiprocessing4j.internal.wait.Deadline;

/**
 * The lean queue (Python's {@code multiprocessing.SimpleQueue}): {@link #put}, {@link #take}, {@link #isEmpty},
 * {@link #close}, across any number of processes, with no bound on the item count and no
 * {@link java.util.concurrent.BlockingQueue} surface. It shares {@link ProcessQueue}'s shared-memory ring, so it
 * has the same guarantees: items of any size arrive whole, one producer's items in order, each exactly once;
 * {@code null} is refused.
 *
 * <h2>Cross-process visibility</h2>
 * Actions of a thread before it puts an item happen-before actions of the thread (of any process) after the
 * {@code take} that returns that item.
 *
 * <h2>If a participating process dies</h2>
 * As for {@link ProcessQueue}: a dying producer leaves its item either whole or absent; a dying consumer loses at
 * most the item it was taking; neither corrupts the queue nor blocks the others.
 *
 * @param <E> the type of the items
 */
public class SimpleProcessQueue<E> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String segmentName;
    private transient ItemRing ring;
    private transient volatile boolean closed;

    /** Makes a queue in a new shared-memory segment. */
    public SimpleProcessQueue() {
        this.ring = ItemRing.create(0);
        this.segmentName = ring.name();
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        ring = Rings.reattach(segmentName);
    }

    /**
     * Puts an item. The queue is unbounded: a put waits at most 1 ms for consumers to make room in its ring before
     * the queue grows (see {@link ProcessQueue}), and for the queue's lock, held a moment by another producer.
     *
     * @param e the item
     * @throws InterruptedException if interrupted on entry or while waiting for the lock; the item is not put
     * @throws NullPointerException if {@code e} is null
     * @throws IllegalArgumentException if {@code e} is not serializable
     * @throws IllegalStateException if this copy was closed
     */
    public void put(E e) throws InterruptedException {
        checkOpen();
        Items.put(ring, e, Deadline.NONE, false);
    }

    /**
     * Takes the head item, waiting until there is one (Python's {@code get()}).
     *
     * @return the item
     * @throws InterruptedException if interrupted on entry or while waiting; nothing is taken
     * @throws java.io.UncheckedIOException if the item cannot be decoded in this process (it is taken all the same)
     * @throws IllegalStateException if this copy was closed
     */
    public E take() throws InterruptedException {
        checkOpen();
        return Items.take(ring, Deadline.NONE, false);
    }

    /** @return whether the queue is empty, a snapshot (Python's {@code empty()}) */
    public boolean isEmpty() {
        return ring.size() == 0;
    }

    /** This copy will put and take no more (later calls throw {@link IllegalStateException}); idempotent. */
    public void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw Items.closed("SimpleProcessQueue", segmentName);
        }
    }

    @Override
    public String toString() {
        return "SimpleProcessQueue[" + (isEmpty() ? "empty" : "not empty") + (closed ? " closed" : "")
                + " segment=" + segmentName + "]";
    }
}
