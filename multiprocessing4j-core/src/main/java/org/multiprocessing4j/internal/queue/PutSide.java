package org.multiprocessing4j.internal.queue;

import static org.multiprocessing4j.internal.queue.QueueLayout.DATA;
import static org.multiprocessing4j.internal.queue.QueueLayout.HEAD;
import static org.multiprocessing4j.internal.queue.QueueLayout.LINK_RESERVE;
import static org.multiprocessing4j.internal.queue.QueueLayout.TAIL;
import static org.multiprocessing4j.internal.queue.QueueLayout.WRAP;
import static org.multiprocessing4j.internal.queue.QueueLayout.align;
import static org.multiprocessing4j.internal.queue.QueueLayout.bytesBetween;
import static org.multiprocessing4j.internal.queue.QueueLayout.count;
import static org.multiprocessing4j.internal.queue.QueueLayout.itemsBetween;
import static org.multiprocessing4j.internal.queue.QueueLayout.pos;
import static org.multiprocessing4j.internal.queue.QueueLayout.word;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.multiprocessing4j.internal.codec.BufferCodec;
import org.multiprocessing4j.internal.codec.JdkCodec;
import org.multiprocessing4j.internal.memory.MappedBytes;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.sync.Mutex;
import org.multiprocessing4j.internal.wait.Deadline;
import org.multiprocessing4j.internal.wait.WaitQueue;

/**
 * The producers' side of an {@link ItemRing} in this process: puts items under the put lock, into the ring or,
 * when it is full, into the spill chain ({@link SpillChain}), and waits for room outside the lock.
 *
 * <pre>
 * Overview (the locks: {@link ItemRing}; layout: {@link QueueLayout}).
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
 *
 * If a producer dies before step 4: its bytes past tail are unpublished and overwritten by the next put: nothing is
 *  visible. The side segment it was filling still names it as creator: swept once the process is reaped (between
 *  its hand-over and step 4, a few instructions, it stays until the queue's creator ends). After step 4: the item
 *  is in the queue, whole. Moving between the ring and a spill segment: see SpillChain.
 * </pre>
 */
public final class PutSide extends RingSide {
    private static final JdkCodec CODEC = JdkCodec.INSTANCE;

    private final Mutex putLock;
    private final Await roomWait;
    /** The head word as last read under the put lock: a lower bound of the real one (words only grow). */
    private long headSeen;

    /**
     * @param seg the queue's segment
     * @param data its data (the ring)
     * @param putLock the producers' lock
     * @param notEmpty where consumers wait for an item
     * @param notFull where producers wait for room
     * @param spill the queue's spill chain
     * @param local this process's copies of the queue's words
     */
    PutSide(Segment seg, MappedBytes data, Mutex putLock, WaitQueue notEmpty, WaitQueue notFull, SpillChain spill,
            LocalWords local) {
        super(seg, data, notEmpty, spill, local);
        this.putLock = putLock;
        this.roomWait = new Await(notFull);
    }

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
                boolean inRing = spill.producersInRing();
                if (!inRing && spill.returnToRing(tail, seg.getLongVolatile(HEAD))) {
                    inRing = true;
                    tail = seg.getLongVolatile(TAIL); // it may have moved past a dead producer's LINK
                }
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
}
