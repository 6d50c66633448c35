package org.multiprocessing4j.internal.queue;

import static org.multiprocessing4j.internal.queue.QueueLayout.DATA;
import static org.multiprocessing4j.internal.queue.QueueLayout.HEAD;
import static org.multiprocessing4j.internal.queue.QueueLayout.PENDING_HEAD;
import static org.multiprocessing4j.internal.queue.QueueLayout.PENDING_PUT_COUNT;
import static org.multiprocessing4j.internal.queue.QueueLayout.PENDING_TAIL;
import static org.multiprocessing4j.internal.queue.QueueLayout.PENDING_TAKE_COUNT;
import static org.multiprocessing4j.internal.queue.QueueLayout.PUT_COUNT;
import static org.multiprocessing4j.internal.queue.QueueLayout.SIDE;
import static org.multiprocessing4j.internal.queue.QueueLayout.SIDE_HEADER;
import static org.multiprocessing4j.internal.queue.QueueLayout.TAIL;
import static org.multiprocessing4j.internal.queue.QueueLayout.TAKE_COUNT;
import static org.multiprocessing4j.internal.queue.QueueLayout.WRAP;
import static org.multiprocessing4j.internal.queue.QueueLayout.align;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.memory.Segments;
import org.multiprocessing4j.internal.resource.ProcessIdentity;
import org.multiprocessing4j.internal.sync.Mutex;
import org.multiprocessing4j.internal.wait.Deadline;
import org.multiprocessing4j.internal.wait.WaitQueue;

/**
 * The shared state of a queue: a ring of byte records in a {@link Segment}, written by any producer and read by any
 * consumer of any process (the public queues of {@code org.multiprocessing4j.queue} encode items into it).
 *
 * <pre>
 * Overview (layout: {@link QueueLayout}).
 *  Locks: one producer at a time holds the put lock, one consumer the take lock (robust {@link Mutex}es: a lock
 *  whose holder's process died is taken over by the next waiter within ~50 ms). A lock is held only to copy one
 *  record in or out, never while waiting: waits for an item or for room happen outside ({@link Await}), so
 *  offer()/poll() never wait behind a blocked put/take.
 *  put (under the put lock):
 *   1. roll forward a put that a dead producer left half published (pending tail != 0: set putCount, tail).
 *   2. room? (maxsize reached, or not enough bytes before head) -> unlock, wait on notFull, retry.
 *   3. copy the record in past tail (a WRAP marker first if it would cross the ring's end).
 *   4. publish: pending putCount, pending tail (the redo record), then putCount, tail, pending tail = 0.
 *   5. unlock, wake one consumer on notEmpty.
 *  take (under the take lock):
 *   1. roll forward a take that a dead consumer left half committed.
 *   2. empty (head == tail)? -> unlock, wait on notEmpty, retry. A WRAP marker: head skips to the next lap.
 *   3. copy the record out (a side record: attach its segment, then unlink its name).
 *   4. commit: pending takeCount, pending head, then takeCount, head, pending head = 0.
 *   5. unlock, wake one producer on notFull, and one more consumer if items remain (a wake chain, so each put's
 *      single wakeOne still reaches every idle consumer under load). A side item is copied out after the unlock.
 *  Large items (record > INLINE_MAX): the producer copies the item into a segment of its own before it takes the
 *  lock, hands the segment over to the queue's creating process (so it outlives the producer), and puts a SIDE
 *  record naming it.
 *
 * If a participating process dies:
 *  - a producer before step 4: its bytes past tail are unpublished and overwritten by the next put; nothing is
 *    visible. A large item's segment it was filling still names it as creator: swept once it is reaped.
 *    After the redo record (4): the next put rolls the item forward; it is delivered whole.
 *    Between hand-over and step 4 (a few instructions): a large item's segment stays until the queue's creator
 *    ends.
 *  - a consumer waiting (outside the lock): nothing. Holding the take lock before its redo record: the item stays
 *    in the queue for the next consumer, except a side item whose name it had unlinked: that item is lost (counted
 *    in LOST). After the redo record: the item is lost (it was being taken). A side item being copied out after the
 *    commit: lost; its memory is freed with the process.
 *  No case leaves a half record in front of the consumers, nor a lock held.
 * </pre>
 */
public final class ItemRing {
    private final Segment seg;
    private final ByteBuffer data;
    private final int capacity;
    private final long mask;
    private final int maxsize;
    private final Mutex putLock;
    private final Mutex takeLock;
    private final WaitQueue notEmpty;
    private final WaitQueue notFull;
    private final WaitQueue allDone;

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
        this.allDone = new WaitQueue(seg, QueueLayout.ALL_DONE);
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
     * @param item the encoded item (any length)
     * @param deadline {@link System#nanoTime()} deadline for room, {@link Deadline#NONE}; with {@code noWait} unused
     * @param noWait true: do not wait for room (only, briefly, for the lock)
     * @return true if put, false if there was no room by the deadline
     * @throws InterruptedException if interrupted while waiting (not with {@code noWait}); nothing was put
     */
    public boolean put(byte[] item, long deadline, boolean noWait) throws InterruptedException {
        Segment side = null;
        byte[] name = null;
        if (align(4L + item.length) > QueueLayout.INLINE_MAX) {
            side = SideItems.write(item, seg.getLongVolatile(QueueLayout.CREATOR_PID),
                    seg.getLongVolatile(QueueLayout.CREATOR_START));
            name = side.name().getBytes(StandardCharsets.US_ASCII);
        }
        boolean published = false;
        try {
            long need = side == null ? align(4L + item.length) : align(SIDE_HEADER + (long) name.length);
            for (;;) {
                if (!lock(putLock, deadline, noWait)) {
                    return false;
                }
                try {
                    rollForwardPut();
                    long tail = seg.getLongVolatile(TAIL);
                    published = hasRoom(tail, seg.getLongVolatile(HEAD), need);
                    if (published) {
                        append(tail, need, item, side, name);
                    }
                } finally {
                    putLock.unlock();
                }
                if (published) {
                    notEmpty.wakeOne();
                    return true;
                }
                if (noWait || !Await.until(notFull, () -> hasRoom(seg.getLongVolatile(TAIL),
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
        if (maxsize > 0 && seg.getLongVolatile(PUT_COUNT) - seg.getLongVolatile(TAKE_COUNT) >= maxsize) {
            return false;
        }
        int index = (int) (tail & mask);
        long pad = index + need > capacity ? capacity - index : 0;
        return tail - head + pad + need <= capacity;
    }

    private void append(long tail, long need, byte[] item, Segment side, byte[] name) {
        int index = (int) (tail & mask);
        if (index + need > capacity) {
            data.putInt(DATA + index, WRAP);
            tail += capacity - index;
            index = 0;
        }
        int at = DATA + index;
        if (side == null) {
            data.putInt(at, item.length);
            data.put(at + 4, item, 0, item.length);
        } else {
            data.putInt(at, SIDE);
            data.putInt(at + 4, name.length);
            data.putLong(at + 8, item.length);
            data.put(at + SIDE_HEADER, name, 0, name.length);
        }
        long count = seg.getLongVolatile(PUT_COUNT) + 1;
        seg.setLongVolatile(PENDING_PUT_COUNT, count);
        seg.setLongVolatile(PENDING_TAIL, tail + need);
        seg.setLongVolatile(PUT_COUNT, count);
        seg.setLongVolatile(TAIL, tail + need);
        seg.setLongVolatile(PENDING_TAIL, 0);
    }

    private void rollForwardPut() {
        long pending = seg.getLongVolatile(PENDING_TAIL);
        if (pending != 0) {
            seg.setLongVolatile(PUT_COUNT, seg.getLongVolatile(PENDING_PUT_COUNT));
            seg.setLongVolatile(TAIL, pending);
            seg.setLongVolatile(PENDING_TAIL, 0);
            notEmpty.wakeAll();
        }
    }

    // ---- take -----------------------------------------------------------------------------------------------------

    /**
     * Removes the item at the head.
     *
     * @param deadline {@link System#nanoTime()} deadline for an item, {@link Deadline#NONE}; with {@code noWait}
     *     unused
     * @param noWait true: do not wait for an item (only, briefly, for the lock)
     * @return the encoded item, or null if none came by the deadline
     * @throws InterruptedException if interrupted while waiting (not with {@code noWait}); nothing was taken
     */
    public byte[] take(long deadline, boolean noWait) throws InterruptedException {
        for (;;) {
            if (!lock(takeLock, deadline, noWait)) {
                return null;
            }
            Object got;
            try {
                rollForwardTake();
                got = claim(true);
            } finally {
                takeLock.unlock();
            }
            if (got != null) {
                notFull.wakeOne();
                if (seg.getLongVolatile(TAIL) != seg.getLongVolatile(HEAD)) {
                    notEmpty.wakeOne();
                }
                return got instanceof byte[] ? (byte[]) got : SideItems.read((SideItems.Claimed) got);
            }
            if (noWait || !Await.until(notEmpty, this::hasItem, deadline)) {
                return null;
            }
        }
    }

    /**
     * The item at the head, left in the queue.
     *
     * @return its encoding, or null if the queue is empty
     */
    public byte[] peek() {
        takeLock.lock();
        try {
            rollForwardTake();
            Object got = claim(false);
            return got == null || got instanceof byte[] ? (byte[]) got : SideItems.read((SideItems.Claimed) got);
        } finally {
            takeLock.unlock();
        }
    }

    private boolean hasItem() {
        return seg.getLongVolatile(TAIL) != seg.getLongVolatile(HEAD);
    }

    /** Reads the head record, skipping WRAP markers and lost side items; commits it if {@code remove}. */
    private Object claim(boolean remove) {
        for (;;) {
            long head = seg.getLongVolatile(HEAD);
            long tail = seg.getLongVolatile(TAIL);
            if (head == tail) {
                return null;
            }
            int index = (int) (head & mask);
            int at = DATA + index;
            int len = data.getInt(at);
            if (len == WRAP) {
                seg.setLongVolatile(HEAD, head + (capacity - index));
                continue;
            }
            if (len >= 0 && index + align(4L + len) <= capacity) {
                byte[] item = new byte[len];
                data.get(at + 4, item, 0, len);
                if (remove) {
                    commitTake(head + align(4L + len));
                }
                return item;
            }
            int nameLength = len == SIDE ? data.getInt(at + 4) : -1;
            if (nameLength <= 0 || nameLength > 100 || index + align(SIDE_HEADER + (long) nameLength) > capacity) {
                throw new IllegalStateException("corrupt queue record: length=" + len + " nameLength=" + nameLength
                        + " head=" + head + " tail=" + tail + " segment=" + seg.name());
            }
            byte[] name = new byte[nameLength];
            data.get(at + SIDE_HEADER, name, 0, nameLength);
            SideItems.Claimed claimed = SideItems.claim(new String(name, StandardCharsets.US_ASCII),
                    data.getLong(at + 8), remove);
            if (remove) {
                commitTake(head + align(SIDE_HEADER + (long) nameLength));
            }
            if (claimed != null) {
                return claimed;
            }
            seg.getAndAddLong(QueueLayout.LOST, 1);
            if (!remove) {
                commitTake(head + align(SIDE_HEADER + (long) nameLength));
            }
        }
    }

    private void commitTake(long newHead) {
        long count = seg.getLongVolatile(TAKE_COUNT) + 1;
        seg.setLongVolatile(PENDING_TAKE_COUNT, count);
        seg.setLongVolatile(PENDING_HEAD, newHead);
        seg.setLongVolatile(TAKE_COUNT, count);
        seg.setLongVolatile(HEAD, newHead);
        seg.setLongVolatile(PENDING_HEAD, 0);
    }

    private void rollForwardTake() {
        long pending = seg.getLongVolatile(PENDING_HEAD);
        if (pending != 0) {
            seg.setLongVolatile(TAKE_COUNT, seg.getLongVolatile(PENDING_TAKE_COUNT));
            seg.setLongVolatile(HEAD, pending);
            seg.setLongVolatile(PENDING_HEAD, 0);
            notFull.wakeAll();
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
        long n = seg.getLongVolatile(PUT_COUNT) - seg.getLongVolatile(TAKE_COUNT);
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, n));
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
        for (;;) {
            long done = seg.getLongVolatile(QueueLayout.DONE_COUNT);
            long put = seg.getLongVolatile(PUT_COUNT);
            if (done >= put) {
                throw new IllegalStateException("taskDone() called more times than items were put: done=" + done
                        + " put=" + put + " segment=" + seg.name());
            }
            if (seg.compareAndSetLong(QueueLayout.DONE_COUNT, done, done + 1)) {
                if (done + 1 >= seg.getLongVolatile(PUT_COUNT)) {
                    allDone.wakeAll();
                }
                return;
            }
        }
    }

    /**
     * Waits until every item put has been marked done.
     *
     * @param deadline {@link System#nanoTime()} deadline or {@link Deadline#NONE}
     * @return whether every item was done by the deadline
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean join(long deadline) throws InterruptedException {
        return Await.until(allDone, () -> seg.getLongVolatile(QueueLayout.DONE_COUNT)
                >= seg.getLongVolatile(PUT_COUNT), deadline);
    }
}
