package org.multiprocessing4j.internal.queue;

import static org.multiprocessing4j.internal.queue.QueueLayout.DATA;
import static org.multiprocessing4j.internal.queue.QueueLayout.HEAD;
import static org.multiprocessing4j.internal.queue.QueueLayout.LINK;
import static org.multiprocessing4j.internal.queue.QueueLayout.LINK_RESERVE;
import static org.multiprocessing4j.internal.queue.QueueLayout.POS_MASK;
import static org.multiprocessing4j.internal.queue.QueueLayout.TAIL;
import static org.multiprocessing4j.internal.queue.QueueLayout.WRAP;
import static org.multiprocessing4j.internal.queue.QueueLayout.align;
import static org.multiprocessing4j.internal.queue.QueueLayout.bytesBetween;
import static org.multiprocessing4j.internal.queue.QueueLayout.count;
import static org.multiprocessing4j.internal.queue.QueueLayout.itemsBetween;
import static org.multiprocessing4j.internal.queue.QueueLayout.pos;
import static org.multiprocessing4j.internal.queue.QueueLayout.word;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.multiprocessing4j.internal.codec.BufferCodec;
import org.multiprocessing4j.internal.codec.JdkCodec;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.sync.Mutex;
import org.multiprocessing4j.internal.wait.Deadline;
import org.multiprocessing4j.internal.wait.WaitQueue;

/**
 * The shared state of a queue: a ring of encoded items in a {@link Segment}, written by any producer and read by
 * any consumer of any process, that grows into a chain of spill segments when the ring is full
 * ({@link SpillChain}); the public queues of {@code org.multiprocessing4j.queue} sit on it.
 *
 * <pre>
 * Overview (layout: {@link QueueLayout}).
 *  Locks: one producer at a time holds the put lock, one consumer the take lock (robust {@link Mutex}es: a lock
 *  whose holder's process died is taken over by the next waiter within ~50 ms). A lock is held only to copy one
 *  record in or out, never while waiting: waits for an item or for room happen outside ({@link Await}), so
 *  offer()/poll() never wait behind a blocked put/take.
 *  put:
 *   1. encode: byte[] and boxed primitives are later written straight into the ring; anything else is encoded to
 *      bytes first, outside the lock. A record over INLINE_MAX goes to a side segment (SideItems), also outside.
 *   2. lock; room? (maxsize items, and bytes in the ring, LINK_RESERVE kept free: checked against this process's
 *      last seen head word first, the shared one only if that says full; producers must be in the ring, which
 *      costs one read of a word beside the tail; neither that nor the tail word is read when the lock was free
 *      with this process's own mark and this process's copy of the tail word is valid: LocalWords) -> maxsize
 *      items: unlock, wait on notFull, retry; no bytes: unlock, wait up to SPILL_AFTER (1 ms) for room, retry
 *      once; still no bytes, or producers spilling: SpillChain appends the record in a spill segment instead
 *      (steps 3 and 4 there). So a put waits for nothing but a bounded queue's item count, and 1 ms for the
 *      ring's consumers: a producer that outruns live
 *      consumers is paced by them in the ring's warm pages, as before the chain existed, and only a backlog that
 *      consumers do not touch for 1 ms spills (its fresh pages cost a fault each, in both processes).
 *   3. copy the record in past tail (a WRAP marker first if it would cross the ring's end).
 *   4. publish: one release store of the tail word (count + 1, position + record).
 *   5. unlock (an atomic exchange: a full fence, so the wake below sees every waiter that could have missed the
 *      store), wake one consumer on notEmpty.
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
 * If a participating process dies:
 *  - a producer before step 4: its bytes past tail are unpublished and overwritten by the next put: nothing is
 *    visible. The side segment it was filling still names it as creator: swept once the process is reaped (between
 *    its hand-over and step 4, a few instructions, it stays until the queue's creator ends). After step 4: the item
 *    is in the queue, whole.
 *  - a consumer waiting (outside the lock): nothing. Holding the take lock before step 3: the item stays for the
 *    next consumer, except a side item whose name it had unlinked: that item is lost (counted in LOST). After
 *    step 3: the item it was taking is lost; a side item's memory is freed with the process.
 *  - a producer or consumer moving between the ring and a spill segment: see SpillChain (nothing is lost; a
 *    segment may stay until the queue's creator ends).
 *  No case leaves a half record in front of the consumers, nor a lock held.
 * </pre>
 */
public final class ItemRing {
    private static final JdkCodec CODEC = JdkCodec.INSTANCE;
    private static final Object EMPTY = new Object();

    private final Segment seg;
    private final ByteBuffer data;
    private final int capacity;
    private final long mask;
    private final int maxsize;
    private final Mutex putLock;
    private final Mutex takeLock;
    private final WaitQueue notEmpty;
    private final WaitQueue notFull;
    private final Await itemWait;
    private final Await roomWait;
    /**
     * {@link #hasItem}, made once: a take that waits neither allocates nor links a lambda (in a fresh JVM, the first
     * run of a lambda's call site spins a class, in the middle of the first items).
     */
    private final BooleanSupplier hasItem = this::hasItem;
    private final TaskCount tasks;
    private final SpillChain spill;
    /** This process's copies of the tail and head words (see LocalWords). */
    private final LocalWords local;
    /** The head word as last read under the put lock: a lower bound of the real one (words only grow). */
    private long headSeen;
    /** The tail word as last read under the take lock: a lower bound of the real one. */
    private long tailSeen;
    /** Keeps the reads of touchHotZone. */
    private int touched;

    private ItemRing(Segment seg) {
        this.seg = seg;
        this.data = seg.data();
        this.capacity = seg.getIntVolatile(QueueLayout.CAPACITY_OFFSET);
        this.mask = capacity - 1;
        this.maxsize = seg.getIntVolatile(QueueLayout.MAXSIZE);
        this.putLock = new Mutex(seg, QueueLayout.PUT_LOCK, false);
        this.takeLock = new Mutex(seg, QueueLayout.TAKE_LOCK, false);
        this.notEmpty = new WaitQueue(seg, QueueLayout.NOT_EMPTY);
        this.notFull = new WaitQueue(seg, QueueLayout.NOT_FULL);
        this.itemWait = new Await(notEmpty);
        this.roomWait = new Await(notFull);
        this.tasks = new TaskCount(seg);
        this.local = LocalWords.of(seg.name());
        this.spill = new SpillChain(seg, data, putLock, local);
        touchHotZone();
    }

    /**
     * Faults the ring's first HOT_ZONE bytes into this process now (256 pages, a fraction of a millisecond), rather
     * than one page fault at a time under the locks while items flow.
     */
    private void touchHotZone() {
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

    /** @return the segment name, by which copies in other processes find the queue */
    public String name() {
        return seg.name();
    }

    /** @return the most items the queue holds, 0 for no limit */
    public int maxsize() {
        return maxsize;
    }

    // ---- put ------------------------------------------------------------------------------------------------------

    /**
     * Appends one item.
     *
     * @param item the item, not null
     * @param deadline {@link System#nanoTime()} deadline for room, {@link Deadline#NONE}; with {@code noWait} unused
     * @param noWait true: do not wait for room (only, briefly, for the lock)
     * @return true if put, false if there was no room by the deadline
     * @throws InterruptedException if interrupted while waiting (not with {@code noWait}); nothing was put
     * @throws IOException if the item cannot be encoded ({@code NotSerializableException} names the class)
     */
    public boolean put(Object item, long deadline, boolean noWait) throws InterruptedException, IOException {
        int direct = BufferCodec.directSize(item);
        byte[] bytes = direct < 0 ? CODEC.encode(item) : null;
        int length = direct < 0 ? bytes.length : direct;
        long need = align(4L + length);
        if (need > QueueLayout.INLINE_MAX) {
            return putSide(item, bytes, length, deadline, noWait);
        }
        // the common case, kept apart from the rest so that it compiles small and soon: producers in the ring, room
        if (!noWait && Thread.interrupted()) {
            throw new InterruptedException();
        }
        boolean own = putLock.tryLockReleasedHere();
        if (!own && !lock(putLock, deadline, noWait)) {
            return false;
        }
        boolean published;
        try {
            boolean trusted = own && local.tailValid; // then producers are in the ring, and the tail is this
            local.tailValid = false;
            long tail = trusted ? local.tail : seg.getLongVolatile(TAIL);
            published = (trusted || spill.producersInRing()) && (hasRoom(tail, headSeen, need)
                    || hasRoom(tail, headSeen = seg.getLongVolatile(HEAD), need));
            if (published) {
                local.tail = append(tail, need, item, bytes, length, null);
                local.tailValid = true;
            }
        } finally {
            putLock.unlock();
        }
        if (published) {
            notEmpty.wakeOne();
            return true;
        }
        return putAny(item, bytes, length, null, deadline, noWait);
    }

    /** {@link #put} of an item over INLINE_MAX: it goes into a segment of its own, which the record names. */
    private boolean putSide(Object item, byte[] bytes, int length, long deadline, boolean noWait)
            throws InterruptedException {
        Segment side = SideItems.write(item, bytes, length, seg.getLongVolatile(QueueLayout.CREATOR_PID),
                seg.getLongVolatile(QueueLayout.CREATOR_START));
        boolean published = false;
        try {
            published = putAny(item, bytes, length, side.name().getBytes(StandardCharsets.US_ASCII), deadline,
                    noWait);
            return published;
        } finally {
            SideItems.release(side, published);
        }
    }

    /**
     * Step 2 to 5 of put in every case: the ring, waiting for room, spilling.
     *
     * @param name the side segment's name, or null for an inline record
     * @return whether the record was published
     */
    private boolean putAny(Object item, byte[] bytes, int length, byte[] name, long deadline, boolean noWait)
            throws InterruptedException {
        long need = Records.size(length, name);
        boolean ringWait = !noWait;
        for (;;) {
            if (!lock(putLock, deadline, noWait)) {
                return false;
            }
            boolean published = false;
            try {
                local.tailValid = false;
                long tail = seg.getLongVolatile(TAIL);
                boolean inRing = spill.producersInRing() || spill.returnToRing(tail, seg.getLongVolatile(HEAD));
                published = inRing && (hasRoom(tail, headSeen, need)
                        || hasRoom(tail, headSeen = seg.getLongVolatile(HEAD), need));
                if (published) {
                    append(tail, need, item, bytes, length, name);
                } else if (!full(tail, headSeen = seg.getLongVolatile(HEAD)) && !(inRing && ringWait)) {
                    spill.append(tail, need, item, bytes, length, name);
                    published = true;
                }
            } finally {
                putLock.unlock();
            }
            if (published) {
                notEmpty.wakeOne();
                return true;
            }
            if (ringWait && !full(seg.getLongVolatile(TAIL), seg.getLongVolatile(HEAD))) {
                ringWait = false; // the ring is short of bytes: consumers have SPILL_AFTER to make room
                roomWait.until(() -> hasRoom(seg.getLongVolatile(TAIL), seg.getLongVolatile(HEAD), need),
                        SpillChain.spillDeadline(deadline));
                continue;
            }
            if (noWait || !roomWait.until(() -> !full(seg.getLongVolatile(TAIL), seg.getLongVolatile(HEAD)),
                    deadline)) {
                return false;
            }
        }
    }

    /** @return whether the ring can take the record now, leaving room for a LINK to a spill segment after it */
    private boolean hasRoom(long tail, long head, long need) {
        if (full(tail, head)) {
            return false;
        }
        int index = (int) (pos(tail) & mask);
        long pad = index + need > capacity ? capacity - index : 0;
        return bytesBetween(head, tail) + pad + need + LINK_RESERVE <= capacity;
    }

    /** @return whether a bounded queue holds maxsize items */
    private boolean full(long tail, long head) {
        return maxsize > 0 && itemsBetween(count(head), count(tail)) >= maxsize;
    }

    /** Steps 3 and 4 of put in the ring. @return the new tail word */
    private long append(long tail, long need, Object item, byte[] bytes, int length, byte[] name) {
        long pos = pos(tail);
        int index = (int) (pos & mask);
        if (index + need > capacity) {
            data.putInt(DATA + index, WRAP);
            pos += capacity - index;
            index = 0;
        }
        Records.write(data, DATA + index, item, bytes, length, name);
        long next = word(count(tail) + 1, pos + need);
        seg.setLongRelease(TAIL, next);
        return next;
    }

    // ---- take -----------------------------------------------------------------------------------------------------

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

    private static boolean lock(Mutex m, long deadline, boolean noWait) throws InterruptedException {
        if (noWait) {
            m.lock();
            return true;
        }
        return m.lockInterruptibly(deadline);
    }

    // ---- counts and tasks -----------------------------------------------------------------------------------------

    /** @return items put and not yet taken (a snapshot) */
    public int size() {
        long head = seg.getLongVolatile(HEAD);
        return (int) itemsBetween(count(head), count(seg.getLongVolatile(TAIL)));
    }

    /** @return items lost because a consumer died after claiming them (see the overview) */
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
