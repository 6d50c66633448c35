package org.multiprocessing4j.internal.queue;

import static org.multiprocessing4j.internal.queue.QueueLayout.DATA;
import static org.multiprocessing4j.internal.queue.QueueLayout.HEAD;
import static org.multiprocessing4j.internal.queue.QueueLayout.SIDE;
import static org.multiprocessing4j.internal.queue.QueueLayout.SIDE_HEADER;
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
import org.multiprocessing4j.internal.codec.JdkCodec;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.memory.Segments;
import org.multiprocessing4j.internal.resource.ProcessIdentity;
import org.multiprocessing4j.internal.sync.Mutex;
import org.multiprocessing4j.internal.wait.Deadline;
import org.multiprocessing4j.internal.wait.WaitQueue;

/**
 * The shared state of a queue: a ring of encoded items in a {@link Segment}, written by any producer and read by
 * any consumer of any process; the public queues of {@code org.multiprocessing4j.queue} sit on it.
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
 *   2. lock; room? (maxsize items, or bytes: checked against this process's last seen head word first, the shared
 *      one only if that says full) -> else unlock, wait on notFull, retry.
 *   3. copy the record in past tail (a WRAP marker first if it would cross the ring's end).
 *   4. publish: one release store of the tail word (count + 1, position + record).
 *   5. unlock (an atomic exchange: a full fence, so the wake below sees every waiter that could have missed the
 *      store), wake one consumer on notEmpty.
 *  take:
 *   1. lock; an item? (this process's last seen tail word first, the shared one if that says empty) -> else
 *      unlock, wait on notEmpty, retry. A WRAP marker: the head word skips to the next lap.
 *   2. decode the record in place if that is quick (no object stream), else copy its bytes out; a side record:
 *      attach its segment, then unlink its name.
 *   3. commit: one release store of the head word. 4. unlock, wake one producer on notFull (an unbounded queue's
      producer waits for bytes: it is woken once LOW_WATER bytes are free, so a full ring does not cost a doorbell
      message per take; its own poll catches the rest), and one more consumer
 *      if items remain (a wake chain, so a put's single wakeOne still reaches every idle consumer under load).
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
    private final TaskCount tasks;
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
        if (maxsize < 0) {
            throw new IllegalArgumentException("queue maxsize must be 0 (unbounded) or more: maxsize=" + maxsize);
        }
        Segment seg = Segments.createShared(QueueLayout.size(QueueLayout.CAPACITY), QueueLayout.KIND);
        seg.setIntVolatile(QueueLayout.MAXSIZE, maxsize);
        seg.setIntVolatile(QueueLayout.CAPACITY_OFFSET, QueueLayout.CAPACITY);
        seg.setLongVolatile(QueueLayout.CREATOR_PID, ProcessIdentity.selfPid());
        seg.setLongVolatile(QueueLayout.CREATOR_START, ProcessIdentity.selfStart());
        seg.setIntVolatile(QueueLayout.MAGIC_OFFSET, QueueLayout.MAGIC);
        return new ItemRing(seg);
    }

    /**
     * This process's view of a queue made elsewhere (one mapping per process, shared by every copy).
     *
     * @param name the segment name
     * @return the ring
     * @throws IllegalArgumentException if the queue is gone (every process that used it has ended)
     */
    public static ItemRing attach(String name) {
        Segment seg = Segments.attachShared(name, QueueLayout.KIND, QueueLayout.size(QueueLayout.CAPACITY));
        if (seg.getIntVolatile(QueueLayout.MAGIC_OFFSET) != QueueLayout.MAGIC) {
            throw new IllegalArgumentException("shared memory block is not a queue: name=" + name);
        }
        return new ItemRing(seg);
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
        int direct = CODEC.directSize(item);
        byte[] bytes = direct < 0 ? CODEC.encode(item) : null;
        int length = direct < 0 ? bytes.length : direct;
        Segment side = null;
        byte[] name = null;
        if (align(4L + length) > QueueLayout.INLINE_MAX) {
            side = SideItems.write(item, bytes, length, seg.getLongVolatile(QueueLayout.CREATOR_PID),
                    seg.getLongVolatile(QueueLayout.CREATOR_START));
            name = side.name().getBytes(StandardCharsets.US_ASCII);
        }
        boolean published = false;
        try {
            long need = side == null ? align(4L + length) : align(SIDE_HEADER + (long) name.length);
            for (;;) {
                if (!lock(putLock, deadline, noWait)) {
                    return false;
                }
                try {
                    long tail = seg.getLongVolatile(TAIL);
                    published = hasRoom(tail, headSeen, need) || hasRoom(tail, headSeen = seg.getLongVolatile(HEAD),
                            need);
                    if (published) {
                        append(tail, need, item, bytes, length, side, name);
                    }
                } finally {
                    putLock.unlock();
                }
                if (published) {
                    notEmpty.wakeOne();
                    return true;
                }
                if (noWait || !roomWait.until(() -> hasRoom(seg.getLongVolatile(TAIL),
                        seg.getLongVolatile(HEAD), need), deadline)) {
                    return false;
                }
            }
        } finally {
            if (side != null) {
                SideItems.release(side, published);
            }
        }
    }

    private boolean hasRoom(long tail, long head, long need) {
        if (maxsize > 0 && itemsBetween(count(head), count(tail)) >= maxsize) {
            return false;
        }
        int index = (int) (pos(tail) & mask);
        long pad = index + need > capacity ? capacity - index : 0;
        return bytesBetween(head, tail) + pad + need <= capacity;
    }

    private void append(long tail, long need, Object item, byte[] bytes, int length, Segment side, byte[] name) {
        long pos = pos(tail);
        int index = (int) (pos & mask);
        if (index + need > capacity) {
            data.putInt(DATA + index, WRAP);
            pos += capacity - index;
            index = 0;
        }
        int at = DATA + index;
        if (side != null) {
            data.putInt(at, SIDE);
            data.putInt(at + 4, name.length);
            data.putLong(at + 8, length);
            data.put(at + SIDE_HEADER, name, 0, name.length);
        } else {
            data.putInt(at, length);
            if (bytes != null) {
                data.put(at + 4, bytes, 0, length);
            } else {
                CODEC.encodeInto(item, data, at + 4);
            }
        }
        seg.setLongRelease(TAIL, word(count(tail) + 1, pos + need));
    }

    // ---- take -----------------------------------------------------------------------------------------------------

    /**
     * Removes the item at the head.
     *
     * @param deadline {@link System#nanoTime()} deadline for an item, {@link Deadline#NONE}; with {@code noWait}
     *     unused
     * @param noWait true: do not wait for an item (only, briefly, for the lock)
     * @param loader resolves the item's classes
     * @return the item, or null if none came by the deadline
     * @throws InterruptedException if interrupted while waiting (not with {@code noWait}); nothing was taken
     * @throws IOException if the item cannot be decoded here; it is taken all the same
     */
    public Object take(long deadline, boolean noWait, ClassLoader loader) throws InterruptedException, IOException {
        for (;;) {
            if (!lock(takeLock, deadline, noWait)) {
                return null;
            }
            Object got;
            try {
                got = claim(true, loader);
            } finally {
                takeLock.unlock();
            }
            if (got != EMPTY) {
                if (notFull.hasWaiters() && (maxsize > 0 || capacity - bytesBetween(seg.getLongVolatile(HEAD),
                        seg.getLongVolatile(TAIL)) >= QueueLayout.LOW_WATER)) {
                    notFull.wakeOne();
                }
                if (notEmpty.hasWaiters() && seg.getLongVolatile(TAIL) != seg.getLongVolatile(HEAD)) {
                    notEmpty.wakeOne();
                }
                return Taken.finish(got, loader);
            }
            if (noWait || !itemWait.until(this::hasItem, deadline)) {
                return null;
            }
        }
    }

    /**
     * The item at the head, left in the queue.
     *
     * @param loader resolves the item's classes
     * @return a copy of it, or null if the queue is empty
     * @throws IOException if the item cannot be decoded here
     */
    public Object peek(ClassLoader loader) throws IOException {
        Object got;
        takeLock.lock();
        try {
            got = claim(false, loader);
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
     * {@code EMPTY} if none. WRAP markers and lost side items are skipped.
     */
    private Object claim(boolean remove, ClassLoader loader) {
        for (;;) {
            long head = seg.getLongVolatile(HEAD);
            long seen = bytesBetween(head, tailSeen);
            if (seen == 0 || seen > capacity) { // nothing more seen, or stale: behind head
                tailSeen = seg.getLongVolatile(TAIL);
                if (tailSeen == head) {
                    return EMPTY;
                }
            }
            long pos = pos(head);
            int index = (int) (pos & mask);
            int at = DATA + index;
            int len = data.getInt(at);
            if (len == WRAP) {
                seg.setLongRelease(HEAD, word(count(head), pos + capacity - index));
                continue;
            }
            if (len > 0 && index + align(4L + len) <= capacity) {
                Object item;
                if (CODEC.decodesQuickly(data, at + 4)) {
                    try {
                        item = CODEC.decode(data, at + 4, len, loader);
                    } catch (IOException e) {
                        item = new Taken.Failed(e);
                    }
                } else {
                    byte[] raw = new byte[len];
                    data.get(at + 4, raw, 0, len);
                    item = new Taken.Raw(raw);
                }
                if (remove) {
                    seg.setLongRelease(HEAD, word(count(head) + 1, pos + align(4L + len)));
                }
                return item;
            }
            int nameLength = len == SIDE ? data.getInt(at + 4) : -1;
            if (nameLength <= 0 || nameLength > 100 || index + align(SIDE_HEADER + (long) nameLength) > capacity) {
                throw new IllegalStateException("corrupt queue record: length=" + len + " nameLength=" + nameLength
                        + " head=" + head + " tail=" + seg.getLongVolatile(TAIL) + " segment=" + seg.name());
            }
            byte[] name = new byte[nameLength];
            data.get(at + SIDE_HEADER, name, 0, nameLength);
            SideItems.Claimed claimed = SideItems.claim(new String(name, StandardCharsets.US_ASCII),
                    data.getLong(at + 8), remove);
            if (remove || claimed == null) {
                seg.setLongRelease(HEAD, word(count(head) + 1, pos + align(SIDE_HEADER + (long) nameLength)));
            }
            if (claimed != null) {
                return claimed;
            }
            seg.getAndAddLong(QueueLayout.LOST, 1);
        }
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
