package org.multiprocessing4j.internal.queue;

import java.io.IOException;
import org.multiprocessing4j.internal.codec.BufferCodec;
import org.multiprocessing4j.internal.memory.MappedBytes;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.resource.ProcessIdentity;

/**
 * Large items, each in a segment of its own, named by a SIDE record in the ring (so a 256 MiB item never streams
 * through the ring, and a producer or consumer that dies half-way leaves no half item in front of the others).
 *
 * <pre>
 * Overview.
 *  Producer, before it takes the put lock:
 *   1. create a segment of the item's size (this process is its creator) and copy the item in;
 *   2. hand the segment over to the queue's creating process if that is alive, so the item outlives a producer
 *      that exits before it is taken (a child that put and ended, joined before anyone drains the queue);
 *   3. publish the SIDE record (PutSide), then let go of the mapping. A put that fails or times out unlinks it.
 *  Consumer, under the take lock: attach the segment, unlink its name, commit the take; after the lock: copy the
 *  item out and let go. A name that is gone (a consumer died after unlinking it) is an item lost.
 * </pre>
 */
final class SideItems {
    private SideItems() {
    }

    /** A side item attached by a consumer, to be copied out. */
    record Claimed(Segment segment, int length) {
    }

    /**
     * Steps 1 and 2: the item in a segment of its own.
     *
     * @param item the item
     * @param bytes its encoding, or null if the codec encodes it directly ({@code BufferCodec.directSize})
     * @param length the encoding's length
     * @param ownerPid the queue's creating process
     * @param ownerStart its start time
     * @return the segment, still mapped here
     */
    static Segment write(Object item, byte[] bytes, int length, long ownerPid, long ownerStart) {
        Segment s = Segment.create(Math.max(1, length), QueueLayout.ITEM_KIND);
        try {
            if (bytes != null) {
                s.data().put(0, bytes, 0, length);
            } else {
                BufferCodec.encodeInto(item, new MappedBytes(s.data()), 0);
            }
            handOver(s, ownerPid, ownerStart);
            return s;
        } catch (RuntimeException | Error e) {
            s.unlink();
            s.close();
            throw e;
        }
    }

    /**
     * Step 2: makes the queue's creating process the creator of a segment this process made (a large item's, or a
     * spill segment), if it is another process and alive, so that the segment outlives this one.
     *
     * @param s the segment
     * @param ownerPid the queue's creating process
     * @param ownerStart its start time
     */
    static void handOver(Segment s, long ownerPid, long ownerStart) {
        if (ownerPid != ProcessIdentity.selfPid() && ProcessIdentity.isAlive(ownerPid, ownerStart)) {
            s.handOver(ownerPid, ownerStart);
        }
    }

    /**
     * Step 3: lets go of the producer's mapping; unlinks the item if it was not published.
     *
     * @param s the segment
     * @param published whether a SIDE record names it
     */
    static void release(Segment s, boolean published) {
        if (!published) {
            s.unlink();
        }
        s.close();
    }

    /**
     * Attaches a side item (and unlinks its name if it is being removed).
     *
     * @param name the segment name
     * @param length the item length
     * @param remove whether the item is being taken (else peeked)
     * @return the claim, or null if the segment is gone (the item was lost)
     */
    static Claimed claim(String name, long length, boolean remove) {
        Segment s;
        try {
            s = Segment.attach(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (s.kind() != QueueLayout.ITEM_KIND || s.size() < length || length > Integer.MAX_VALUE) {
            s.close();
            throw new IllegalStateException("corrupt queue record: side segment does not hold the item: name=" + name
                    + " kind=" + s.kind() + " size=" + s.size() + " length=" + length);
        }
        if (remove) {
            s.unlink();
        }
        return new Claimed(s, (int) length);
    }

    /**
     * Decodes a claimed item straight from its segment and lets go of the segment.
     *
     * @param c the claim
     * @param loader resolves the item's classes
     * @return the item
     * @throws IOException if it cannot be decoded here
     */
    static Object read(Claimed c, ClassLoader loader) throws IOException {
        try {
            return BufferCodec.decode(new MappedBytes(c.segment().data()), 0, c.length(), loader);
        } finally {
            c.segment().close();
        }
    }
}
