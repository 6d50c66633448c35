package org.multiprocessing4j.internal.queue;

import static org.multiprocessing4j.internal.queue.QueueLayout.DATA;
import static org.multiprocessing4j.internal.queue.QueueLayout.HEAD;
import static org.multiprocessing4j.internal.queue.QueueLayout.LINK;
import static org.multiprocessing4j.internal.queue.QueueLayout.POS_MASK;
import static org.multiprocessing4j.internal.queue.QueueLayout.TAIL;
import static org.multiprocessing4j.internal.queue.QueueLayout.WRAP;
import static org.multiprocessing4j.internal.queue.QueueLayout.bytesBetween;
import static org.multiprocessing4j.internal.queue.QueueLayout.count;
import static org.multiprocessing4j.internal.queue.QueueLayout.pos;
import static org.multiprocessing4j.internal.queue.QueueLayout.word;

import java.io.IOException;
import java.util.function.BooleanSupplier;
import org.multiprocessing4j.internal.memory.MappedBytes;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.sync.Mutex;
import org.multiprocessing4j.internal.wait.Deadline;
import org.multiprocessing4j.internal.wait.WaitQueue;

/**
 * The consumers' side of an {@link ItemRing} in this process: takes (or peeks at) the head item under the take
 * lock, from the ring or, while the queue spills, from the spill chain ({@link SpillChain}), waits for an item
 * outside the lock, and passes wake-ups on to the producers and consumers that wait.
 *
 * <pre>
 * Overview (the locks: {@link ItemRing}; layout: {@link QueueLayout}).
 *  take:
 *   1. lock; an item? (this process's last seen tail word first, the shared one if that says empty; the head
 *      word, and that consumers are in the ring, from this process's copy if the lock came back from this
 *      process: LocalWords) -> else unlock, wait on notEmpty, retry (a queue found empty while spilling shrinks
 *      back to its ring: SpillChain.shrinkIfDrained). A WRAP marker: the head word skips to the next lap. A
 *      LINK marker, or consumers in a spill segment (one read of a word beside the head): SpillChain.
 *   2. decode the record in place if that is quick (no object stream), else copy its bytes out; a side record:
 *      attach its segment, then unlink its name.
 *   3. commit: one release store of the head word. 4. unlock, wake one producer on notFull (an unbounded queue's
 *      producer, waiting at most SPILL_AFTER for bytes, once LOW_WATER bytes are free, so a full ring does not cost
 *      a doorbell message per take; its own poll catches the rest), and one more consumer if items remain (a wake
 *      chain, so a put's single wakeOne still reaches every idle consumer under load).
 *   5. outside the lock: deserialize copied bytes; copy a side item out and let go of its segment.
 *
 * If a consumer dies waiting (outside the lock): nothing. Holding the take lock before step 3: the item stays for
 *  the next consumer, except a side item whose name it had unlinked: that item is lost (counted in LOST). After
 *  step 3: the item it was taking is lost; a side item's memory is freed with the process. Moving between the ring
 *  and a spill segment: see SpillChain.
 * </pre>
 */
public final class TakeSide extends RingSide {
    private static final Object EMPTY = new Object();

    private final Mutex takeLock;
    private final WaitQueue notFull;
    private final Await itemWait;
    /**
     * {@link #hasItem}, made once: a take that waits neither allocates nor links a lambda (in a fresh JVM, the first
     * run of a lambda's call site spins a class, in the middle of the first items).
     */
    private final BooleanSupplier hasItem = this::hasItem;
    /** The tail word as last read under the take lock: a lower bound of the real one. */
    private long tailSeen;

    /**
     * @param seg the queue's segment
     * @param data its data (the ring)
     * @param takeLock the consumers' lock
     * @param notEmpty where consumers wait for an item
     * @param notFull where producers wait for room
     * @param spill the queue's spill chain
     * @param local this process's copies of the queue's words
     */
    TakeSide(Segment seg, MappedBytes data, Mutex takeLock, WaitQueue notEmpty, WaitQueue notFull, SpillChain spill,
            LocalWords local) {
        super(seg, data, notEmpty, spill, local);
        this.takeLock = takeLock;
        this.notFull = notFull;
        this.itemWait = new Await(notEmpty);
    }

    /**
     * Removes the item at the head.
     *
     * @param deadline {@link System#nanoTime()} deadline for an item, {@link Deadline#NONE}; with {@code noWait}
     *     unused
     * @param noWait true: do not wait for an item (only, briefly, for the lock)
     * @param loader resolves the item's classes; null: this thread's {@code JdkCodec.receiverLoader()}, looked up
     *     only for an item that needs it (an object stream)
     * @return the item, or null if none came by the deadline
     * @throws InterruptedException if interrupted while waiting (not with {@code noWait}); nothing was taken
     * @throws IOException if the item cannot be decoded here; it is taken all the same
     */
    public Object take(long deadline, boolean noWait, ClassLoader loader) throws InterruptedException, IOException {
        for (;;) {
            if (!noWait && Thread.interrupted()) {
                throw new InterruptedException();
            }
            boolean own = takeLock.tryLockReleasedHere();
            if (!own && !lock(takeLock, deadline, noWait)) {
                return null;
            }
            Object got;
            try {
                boolean trusted = own && local.headValid; // then consumers are in the ring, and the head is this
                local.headValid = false;
                got = claim(true, trusted);
            } finally {
                takeLock.unlock();
            }
            if (got != EMPTY) {
                wakeAfterTake();
                return Taken.finish(got, loader);
            }
            if (noWait || !awaitItem(deadline)) {
                return null;
            }
        }
    }

    /** Step 4 of take, after the unlock: the wakes, if anyone waits (the rest apart: it compiles small). */
    private void wakeAfterTake() {
        boolean producers = notFull.hasWaiters();
        boolean consumers = notEmpty.hasWaiters();
        if (producers || consumers) {
            wakeWaiters(producers, consumers);
        }
    }

    private void wakeWaiters(boolean producers, boolean consumers) {
        if (producers && (maxsize > 0 || capacity - bytesBetween(seg.getLongVolatile(HEAD),
                seg.getLongVolatile(TAIL)) >= QueueLayout.LOW_WATER)) {
            notFull.wakeOne();
        }
        if (consumers && seg.getLongVolatile(TAIL) != seg.getLongVolatile(HEAD)) {
            notEmpty.wakeOne();
        }
    }

    /** Waits, outside the take lock, until the queue seems to hold an item or the deadline passes. */
    private boolean awaitItem(long deadline) throws InterruptedException {
        return itemWait.until(hasItem, deadline);
    }

    /**
     * The item at the head, left in the queue.
     *
     * @param loader resolves the item's classes; null: this thread's {@code JdkCodec.receiverLoader()}
     * @return a copy of it, or null if the queue is empty
     * @throws IOException if the item cannot be decoded here
     */
    public Object peek(ClassLoader loader) throws IOException {
        Object got;
        takeLock.lock();
        try {
            local.headValid = false;
            got = claim(false, false);
            if (got instanceof SideItems.Claimed) {
                return Taken.finish(got, loader);
            }
        } finally {
            takeLock.unlock();
        }
        return got == EMPTY ? null : Taken.finish(got, loader);
    }

    private boolean hasItem() {
        return seg.getLongVolatile(TAIL) != seg.getLongVolatile(HEAD);
    }

    /**
     * Step 2 and 3 of take: the head item, decoded, or bytes to deserialize ({@link Taken.Raw}), or a side item;
     * {@code EMPTY} if none. Markers and lost side items are passed.
     */
    private Object claim(boolean remove, boolean trusted) {
        for (;;) {
            long head = trusted ? local.head : seg.getLongVolatile(HEAD);
            long seen = bytesBetween(head, tailSeen);
            if (seen == 0 || seen > POS_MASK / 2) { // nothing more seen, or stale: behind head
                tailSeen = seg.getLongVolatile(TAIL);
                if (tailSeen == head) {
                    if (trusted) {
                        local.headValid = true; // unchanged, consumers in the ring: nothing to shrink
                    } else {
                        spill.shrinkIfDrained(head);
                    }
                    return EMPTY;
                }
            }
            Object got = trusted || spill.consumersInRing() ? claimInRing(head, remove) : spill.claim(head, remove);
            if (got != Records.AGAIN) {
                return got;
            }
            trusted = false;
        }
    }

    /** Steps 2 and 3 of take in the ring (consumers are there); an inline record taken leaves the head copy exact. */
    private Object claimInRing(long head, boolean remove) {
        long pos = pos(head);
        int index = (int) (pos & mask);
        int len = data.getInt(DATA + index);
        if (len == WRAP) {
            seg.setLongRelease(HEAD, word(count(head), pos + capacity - index));
            return Records.AGAIN;
        }
        if (len == LINK) {
            spill.follow(data, DATA + index, head);
            return Records.AGAIN;
        }
        Object got = Records.claim(seg, data, DATA + index, len, capacity - index, head, remove);
        if (remove && len > 0) { // an inline record (a SIDE record's len is negative)
            local.head = Records.headAfter(head, len);
            local.headValid = true;
        }
        return got;
    }
}
