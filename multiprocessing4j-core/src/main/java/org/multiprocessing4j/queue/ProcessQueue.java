package org.multiprocessing4j.queue;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.queue.ItemRing;
import org.multiprocessing4j.internal.wait.Deadline;

/**
 * A {@link BlockingQueue} shared by threads of any number of processes (Python's {@code multiprocessing.Queue}), with
 * many producers and many consumers: {@code new ProcessQueue<>()} is unbounded, {@code new ProcessQueue<>(maxsize)}
 * holds at most {@code maxsize} items. Items are serializable objects (fast paths for {@code byte[]}, {@code String}
 * and boxed primitives), from empty to at least 256 MiB each; {@code null} is refused.
 *
 * <pre>{@code
 * ProcessQueue<String> q = new ProcessQueue<>();
 * new ChildProcess(() -> q.put("hello from " + Multiprocessing.currentProcess().name())).start();
 * String s = q.take();
 * }</pre>
 * A child's target may capture the queue: it travels as the name of its shared-memory segment. Python → Java:
 * {@code put(x)} → {@link #put}, {@code put(x, timeout=t)} → {@link #offer(Object, long, TimeUnit)},
 * {@code put_nowait} → {@link #offer(Object)}, {@code get()} → {@link #take}, {@code get(timeout=t)} →
 * {@link #poll(long, TimeUnit)}, {@code get_nowait()} → {@link #poll()}, {@code qsize()} → {@link #size},
 * {@code empty()} → {@link #isEmpty}, {@code full()} → {@code remainingCapacity() == 0}.
 *
 * <h2>No feeder thread</h2>
 * Python's queue hands items to a background feeder thread that writes them to a pipe; a process that exits waits
 * for its feeder to flush, which deadlocks a parent that joins a child before draining the queue. Here a put copies
 * the item into shared memory before it returns: nothing is buffered in the process, a child that put any amount of
 * data can be joined before anyone takes it, and the data stays in the queue (it lives while the queue's creating
 * process or any process using it lives). Hence {@link #joinThread()} and {@link #cancelJoinThread()} have nothing
 * to wait for or cancel.
 *
 * <h2>Bounds</h2>
 * A bounded queue's {@code put} waits while {@code maxsize} items are in it, whatever their size; an unbounded
 * queue's {@code put} always succeeds, as {@link java.util.concurrent.LinkedBlockingQueue}'s. Items live in a 4 MiB
 * ring of shared memory, and beyond it in 4 MiB segments created as the backlog grows and removed as consumers
 * drain them; items over 512 KiB live in a segment of their own. A put that finds the ring full gives consumers up
 * to 1 ms to make room before the queue grows (so a producer that outruns live consumers is paced by them, in
 * memory already touched), {@link #offer(Object)} no time at all. A backlog is bounded by the shared memory of the
 * machine ({@code /dev/shm}); {@link #size()} counts modulo 2^24.
 *
 * <h2>Methods that mean nothing across processes</h2>
 * The queue's content lives in shared memory and changes under any process at any time, and only its head is
 * reachable: {@link #iterator()}, {@link #contains}, {@link #remove(Object)}, {@link #toArray()},
 * {@link #removeAll}, {@link #retainAll} and {@code removeIf} throw {@link UnsupportedOperationException}.
 * {@link #peek()} returns a copy of the head item; {@link #clear()} and {@link #drainTo} take items as {@link #poll()}
 * does; {@link #size()} is a snapshot.
 *
 * <h2>Ordering</h2>
 * Items of one producer thread arrive in the order it put them; items of different producers interleave in the
 * order they were published. Each item is delivered to exactly one consumer.
 *
 * <h2>Cross-process visibility</h2>
 * Actions of a thread before it puts an item happen-before actions of the thread (of any process) after the
 * {@code take}/{@code poll} that returns that item, for memory shared between them: the item is published with a
 * release store that the consumer reads with a volatile load.
 *
 * <h2>If a participating process dies</h2>
 * The queue's locks are robust (taken over from a dead holder within ~50 ms) and an item becomes visible with one
 * store after it has been copied whole, so a death never corrupts the queue nor blocks the others:
 * <ul>
 * <li>A producer that dies during a put: the item was either published whole (and is delivered) or not at all;
 * it is never half there.</li>
 * <li>A consumer that dies while waiting in {@code take}: nothing is lost.</li>
 * <li>A consumer that dies during a {@code take}: at most the item it was taking is lost (an item of up to 512 KiB
 * is lost only if the death falls after its commit, a larger one also in the few instructions between unlinking its
 * segment and the commit). {@code size()} counts it as taken.</li>
 * <li>A producer or consumer that dies while the queue grows or shrinks loses nothing; a segment it was creating
 * or leaving may stay in {@code /dev/shm} until the queue's creating process ends.</li>
 * <li>The queue's creating process: the queue lives on while another process uses it; items larger than 512 KiB,
 * and the items of a backlog beyond 4 MiB, not yet taken then live only while their producer lives.</li>
 * </ul>
 *
 * <h2>Waiting</h2>
 * A waiting producer or consumer spins, then yields, for 250 microseconds to 2 ms (longer while items flow, shorter
 * once it had to park), then parks at no CPU cost; a put wakes a parked consumer
 * through its process's doorbell socket (tens of microseconds). Interrupts are handled as in
 * {@link java.util.concurrent.LinkedBlockingQueue}: the waiting methods throw {@link InterruptedException} and
 * take or put nothing.
 *
 * @param <E> the type of the items
 */
public class ProcessQueue<E> extends AbstractQueue<E> implements BlockingQueue<E>, Serializable {
    private static final long serialVersionUID = 1L;

    private final String segmentName;
    private transient ItemRing ring;
    private transient volatile boolean closed;

    /** Makes an unbounded queue in a new shared-memory segment. */
    public ProcessQueue() {
        this(0);
    }

    /**
     * Makes a queue that holds at most {@code maxsize} items (0 or less: unbounded, as in Python).
     *
     * @param maxsize the most items it holds
     */
    public ProcessQueue(int maxsize) {
        this.ring = ItemRing.create(Math.max(0, maxsize));
        this.segmentName = ring.name();
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        ring = Rings.reattach(segmentName);
    }

    ItemRing ring() {
        return ring;
    }

    String segmentName() {
        return segmentName;
    }

    // ---- putting --------------------------------------------------------------------------------------------------

    /**
     * Puts an item, waiting for room if a bounded queue is full (Python's {@code put}); an unbounded queue's put waits
     * at most 1 ms (see Bounds).
     *
     * @param e the item
     * @throws InterruptedException if interrupted on entry or while waiting; the item is not put
     * @throws NullPointerException if {@code e} is null
     * @throws IllegalArgumentException if {@code e} is not serializable
     * @throws IllegalStateException if this copy was closed
     */
    @Override
    public void put(E e) throws InterruptedException {
        checkOpen();
        Items.put(ring, e, Deadline.NONE, false);
    }

    /**
     * Puts an item if there is room now (Python's {@code put_nowait}).
     *
     * @param e the item
     * @return true if put, false if the queue is full
     * @throws NullPointerException if {@code e} is null
     * @throws IllegalArgumentException if {@code e} is not serializable
     * @throws IllegalStateException if this copy was closed
     */
    @Override
    public boolean offer(E e) {
        checkOpen();
        try {
            return Items.put(ring, e, 0, true);
        } catch (InterruptedException ex) {
            throw new IllegalStateException("a put that does not wait cannot be interrupted", ex);
        }
    }

    /**
     * Puts an item, waiting up to the time-out for room (Python's {@code put(x, timeout=t)}).
     *
     * @param e the item
     * @param timeout the longest wait
     * @param unit its unit
     * @return true if put, false if there was no room within the time-out
     * @throws InterruptedException if interrupted on entry or while waiting; the item is not put
     * @throws NullPointerException if {@code e} or {@code unit} is null
     * @throws IllegalArgumentException if {@code e} is not serializable
     * @throws IllegalStateException if this copy was closed
     */
    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        checkOpen();
        return Items.put(ring, e, Deadline.after(timeout, unit), false);
    }

    // ---- taking ---------------------------------------------------------------------------------------------------

    /**
     * Takes the head item, waiting until there is one (Python's {@code get()}).
     *
     * @return the item
     * @throws InterruptedException if interrupted on entry or while waiting; nothing is taken
     * @throws java.io.UncheckedIOException if the item cannot be decoded in this process (it is taken all the same)
     * @throws IllegalStateException if this copy was closed
     */
    @Override
    public E take() throws InterruptedException {
        checkOpen();
        return Items.take(ring, Deadline.NONE, false);
    }

    /**
     * Takes the head item, waiting up to the time-out (Python's {@code get(timeout=t)}).
     *
     * @param timeout the longest wait
     * @param unit its unit
     * @return the item, or null if none came within the time-out
     * @throws InterruptedException if interrupted on entry or while waiting; nothing is taken
     * @throws java.io.UncheckedIOException if the item cannot be decoded in this process (it is taken all the same)
     * @throws IllegalStateException if this copy was closed
     */
    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        checkOpen();
        return Items.take(ring, Deadline.after(timeout, unit), false);
    }

    /**
     * Takes the head item if there is one now (Python's {@code get_nowait()}).
     *
     * @return the item, or null if the queue is empty
     * @throws java.io.UncheckedIOException if the item cannot be decoded in this process (it is taken all the same)
     * @throws IllegalStateException if this copy was closed
     */
    @Override
    public E poll() {
        checkOpen();
        try {
            return Items.take(ring, 0, true);
        } catch (InterruptedException ex) {
            throw new IllegalStateException("a take that does not wait cannot be interrupted", ex);
        }
    }

    /**
     * A copy of the head item, left in the queue (another consumer may take it the next instant).
     *
     * @return the copy, or null if the queue is empty
     * @throws IllegalStateException if this copy was closed
     */
    @Override
    public E peek() {
        checkOpen();
        return Items.peek(ring);
    }

    /**
     * Takes every item available now, as repeated {@link #poll()}, into {@code c}.
     *
     * @param c where the items go
     * @return how many were taken
     * @throws IllegalArgumentException if {@code c} is this queue
     */
    @Override
    public int drainTo(Collection<? super E> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    /**
     * Takes up to {@code maxElements} items available now, as repeated {@link #poll()}, into {@code c}.
     *
     * @param c where the items go
     * @param maxElements the most to take
     * @return how many were taken
     * @throws IllegalArgumentException if {@code c} is this queue
     */
    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        Objects.requireNonNull(c, "c");
        if (c == this) {
            throw new IllegalArgumentException("cannot drain a queue into itself");
        }
        int n = 0;
        E e;
        while (n < maxElements && (e = poll()) != null) {
            c.add(e);
            n++;
        }
        return n;
    }

    // ---- state ----------------------------------------------------------------------------------------------------

    /** @return the number of items in the queue, a snapshot (Python's {@code qsize()}) */
    @Override
    public int size() {
        return ring.size();
    }

    /** @return whether the queue is empty, a snapshot (Python's {@code empty()}) */
    @Override
    public boolean isEmpty() {
        return ring.size() == 0;
    }

    /** @return how many more items fit, a snapshot; {@code Integer.MAX_VALUE} if unbounded */
    @Override
    public int remainingCapacity() {
        int max = ring.maxsize();
        return max == 0 ? Integer.MAX_VALUE : Math.max(0, max - ring.size());
    }

    /**
     * Python's {@code close()}: this copy of the queue will put and take no more; later calls on it throw
     * {@link IllegalStateException}. Other copies, in this process or others, and the items are unaffected.
     * Idempotent. Every item this copy put is already in shared memory: nothing is flushed.
     */
    public void close() {
        closed = true;
    }

    /** @return whether {@link #close()} was called on this copy */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Python's {@code join_thread()}: waits for the feeder thread to flush what this process put. There is no
     * feeder: everything put is in shared memory when {@code put} returns, so this returns at once.
     *
     * @throws IllegalStateException if this copy is not closed (as Python asserts)
     */
    public void joinThread() {
        if (!closed) {
            throw new IllegalStateException("joinThread() on a queue that is not closed: segment=" + segmentName
                    + " (call close() first, as in Python)");
        }
    }

    /**
     * Python's {@code cancel_join_thread()}: lets the process exit without flushing. Nothing is ever pending
     * here, so this does nothing and, unlike in Python, loses no data.
     */
    public void cancelJoinThread() {
        // no feeder: nothing to cancel
    }

    // ---- what cannot mean anything across processes ---------------------------------------------------------------

    /** @throws UnsupportedOperationException always: the queue's content is shared and only its head is reachable */
    @Override
    public Iterator<E> iterator() {
        throw unsupported("iterator()");
    }

    /** @throws UnsupportedOperationException always: the queue's content is shared and only its head is reachable */
    @Override
    public boolean contains(Object o) {
        throw unsupported("contains(Object)");
    }

    /** @throws UnsupportedOperationException always: only the head of a process queue can be removed */
    @Override
    public boolean remove(Object o) {
        throw unsupported("remove(Object)");
    }

    /** @throws UnsupportedOperationException always: the queue's content is shared and only its head is reachable */
    @Override
    public Object[] toArray() {
        throw unsupported("toArray()");
    }

    /** @throws UnsupportedOperationException always: the queue's content is shared and only its head is reachable */
    @Override
    public <T> T[] toArray(T[] a) {
        throw unsupported("toArray(T[])");
    }

    /** @throws UnsupportedOperationException always: only the head of a process queue can be removed */
    @Override
    public boolean removeAll(Collection<?> c) {
        throw unsupported("removeAll(Collection)");
    }

    /** @throws UnsupportedOperationException always: only the head of a process queue can be removed */
    @Override
    public boolean retainAll(Collection<?> c) {
        throw unsupported("retainAll(Collection)");
    }

    /** @throws UnsupportedOperationException always: the queue's content is shared and only its head is reachable */
    @Override
    public boolean containsAll(Collection<?> c) {
        throw unsupported("containsAll(Collection)");
    }

    private UnsupportedOperationException unsupported(String method) {
        return new UnsupportedOperationException(method + " is not supported by " + getClass().getSimpleName()
                + ": its items live in shared memory, changed by other processes at any time, and only the head is "
                + "reachable; use take/poll/drainTo (segment=" + segmentName + ")");
    }

    void checkOpen() {
        if (closed) {
            throw Items.closed(getClass().getSimpleName(), segmentName);
        }
    }

    /** @return true if {@code o} is a copy of the same queue (the same shared-memory segment) */
    @Override
    public boolean equals(Object o) {
        return o instanceof ProcessQueue && ((ProcessQueue<?>) o).segmentName.equals(segmentName);
    }

    @Override
    public int hashCode() {
        return segmentName.hashCode();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[size=" + size() + (ring.maxsize() > 0 ? " maxsize=" + ring.maxsize() : "")
                + (closed ? " closed" : "") + " segment=" + segmentName + "]";
    }
}
