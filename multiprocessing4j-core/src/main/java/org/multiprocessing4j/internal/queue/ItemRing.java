package org.multiprocessing4j.internal.queue;

import static org.multiprocessing4j.internal.queue.QueueLayout.DATA;
import static org.multiprocessing4j.internal.queue.QueueLayout.HEAD;
import static org.multiprocessing4j.internal.queue.QueueLayout.TAIL;
import static org.multiprocessing4j.internal.queue.QueueLayout.count;
import static org.multiprocessing4j.internal.queue.QueueLayout.itemsBetween;

import org.multiprocessing4j.internal.PrimitiveUse;
import org.multiprocessing4j.internal.memory.MappedBytes;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.memory.Segments;
import org.multiprocessing4j.internal.sync.Mutex;
import org.multiprocessing4j.internal.wait.Deadline;
import org.multiprocessing4j.internal.wait.WaitQueue;

/**
 * The shared state of a queue: a ring of encoded items in a {@link Segment}, written by any producer and read by
 * any consumer of any process, that grows into a chain of spill segments when the ring is full
 * ({@link SpillChain}); the public queues of {@code org.multiprocessing4j.queue} sit on it, and put through its
 * {@link PutSide} and take through its {@link TakeSide}.
 *
 * <pre>
 * Overview (layout: {@link QueueLayout}).
 *  Locks: one producer at a time holds the put lock, one consumer the take lock (robust {@link Mutex}es: a lock
 *  whose holder's process died is taken over by the next waiter within ~50 ms). A lock is held only to copy one
 *  record in or out, never while waiting: waits for an item or for room happen outside ({@link Await}), so
 *  offer()/poll() never wait behind a blocked put/take.
 *  put: PutSide (steps 1 to 5: encode, lock and check room, copy in, publish with one store of the tail word,
 *       unlock and wake); take: TakeSide (steps 1 to 5: lock and find an item, decode or copy it, commit with one
 *       store of the head word, unlock and wake, finish outside the lock). Both keep this process's copies of the
 *       words (LocalWords), shared by every copy of the queue here.
 *
 * If a participating process dies: see PutSide (a producer), TakeSide (a consumer) and SpillChain (either, moving
 *  between the ring and a spill segment). No case leaves a half record in front of the consumers, nor a lock held.
 * </pre>
 */
public final class ItemRing {
    private final Segment seg;
    private final int maxsize;
    private final PutSide puts;
    private final TakeSide takes;
    private final TaskCount tasks;
    /** Keeps the reads of touchHotZone. */
    private int touched;

    private ItemRing(Segment seg) {
        PrimitiveUse.note(PrimitiveUse.QUEUE);
        this.seg = seg;
        this.maxsize = seg.getIntVolatile(QueueLayout.MAXSIZE);
        Mutex putLock = new Mutex(seg, QueueLayout.PUT_LOCK, false);
        Mutex takeLock = new Mutex(seg, QueueLayout.TAKE_LOCK, false);
        WaitQueue notEmpty = new WaitQueue(seg, QueueLayout.NOT_EMPTY);
        WaitQueue notFull = new WaitQueue(seg, QueueLayout.NOT_FULL);
        this.tasks = new TaskCount(seg);
        LocalWords local = LocalWords.of(seg.name());
        MappedBytes data = new MappedBytes(seg.data());
        SpillChain spill = new SpillChain(seg, data, putLock, local);
        this.puts = new PutSide(seg, data, putLock, notEmpty, notFull, spill, local);
        this.takes = new TakeSide(seg, data, takeLock, notEmpty, notFull, spill, local);
        touchHotZone(data);
    }

    /**
     * Faults the ring's first HOT_ZONE bytes into this process now (256 pages, a fraction of a millisecond), rather
     * than one page fault at a time under the locks while items flow.
     */
    private void touchHotZone(MappedBytes data) {
        int sum = 0;
        for (int i = 0; i < QueueLayout.HOT_ZONE; i += 4096) {
            sum += data.get(DATA + i);
        }
        touched = sum;
    }

    /**
     * Makes a queue's segment; it stays mapped in this process until the process ends.
     *
     * @param maxsize the most items it holds, 0 for no limit
     * @return the ring
     * @throws IllegalArgumentException if maxsize is negative
     */
    public static ItemRing create(int maxsize) {
        return new ItemRing(QueueLayout.create(maxsize));
    }

    /**
     * This process's view of a queue made elsewhere (one mapping per process, shared by every copy).
     *
     * @param name the segment name
     * @return the ring
     * @throws IllegalArgumentException if the queue is gone (every process that used it has ended)
     */
    public static ItemRing attach(String name) {
        return new ItemRing(QueueLayout.attach(name));
    }

    /**
     * Deletes the queue's name now, for a queue that only this process uses (the rehearsal of a JVM started ahead
     * of time): no other process can attach it any more, and nothing of it outlives this process, even one that is
     * killed; this process's copies keep working. Keep its backlog under the ring's size: a spill segment is made
     * under a name of its own.
     */
    public void unlinkName() {
        seg.unlink();
    }

    /**
     * Removes a queue that no other process has seen (the rehearsal of a JVM started ahead of time): its segment
     * is deleted and closed, and this process's words forgotten. Drain it first: a spill segment goes only when
     * consumers have drained it. The ring is unusable afterwards.
     */
    public void discard() {
        LocalWords.forget(seg.name());
        Segments.discardShared(seg);
    }

    /** @return the segment name, by which copies in other processes find the queue */
    public String name() {
        return seg.name();
    }

    /** @return the most items the queue holds, 0 for no limit */
    public int maxsize() {
        return maxsize;
    }

    /** @return the producers' side, through which this process puts items */
    public PutSide puts() {
        return puts;
    }

    /** @return the consumers' side, through which this process takes items */
    public TakeSide takes() {
        return takes;
    }

    // ---- counts and tasks -----------------------------------------------------------------------------------------

    /** @return items put and not yet taken (a snapshot) */
    public int size() {
        long head = seg.getLongVolatile(HEAD);
        return (int) itemsBetween(count(head), count(seg.getLongVolatile(TAIL)));
    }

    /** @return items lost because a consumer died after claiming them (see TakeSide) */
    public long lost() {
        return seg.getLongVolatile(QueueLayout.LOST);
    }

    /**
     * Counts one task done.
     *
     * @throws IllegalStateException if as many tasks are done as items were put
     */
    public void taskDone() {
        tasks.taskDone();
    }

    /**
     * Waits until every item put has been marked done.
     *
     * @param deadline {@link System#nanoTime()} deadline or {@link Deadline#NONE}
     * @return whether every item was done by the deadline
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean join(long deadline) throws InterruptedException {
        return tasks.join(deadline);
    }
}
