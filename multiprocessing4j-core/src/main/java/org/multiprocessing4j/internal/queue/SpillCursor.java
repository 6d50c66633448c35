package org.multiprocessing4j.internal.queue;

import static org.multiprocessing4j.internal.queue.QueueLayout.NAME_SLOT;
import static org.multiprocessing4j.internal.queue.QueueLayout.SPILL_BASE;
import static org.multiprocessing4j.internal.queue.QueueLayout.SPILL_KIND;
import static org.multiprocessing4j.internal.queue.QueueLayout.SPILL_SEQ_OFFSET;

import java.nio.charset.StandardCharsets;
import org.multiprocessing4j.internal.memory.MappedBytes;
import org.multiprocessing4j.internal.memory.Segment;

/**
 * Where one side of a queue, its producers or its consumers, is in the stream of records: in the queue's ring, or in
 * which spill segment ({@link SpillChain}); and this process's mapping of that segment. Used only under that side's
 * lock.
 *
 * <pre>
 * Overview (layout: {@link QueueLayout}).
 *  Shared: the side's region word (0 = the ring, else a spill segment's seq) and two name slots (seq, name). A move
 *  to a segment writes its name into the slot of the older seq (never the current region's: seqs grow along the
 *  stream), then stores the region word: a process that dies between the two leaves the region and its name
 *  intact, and no slot is ever half written for the region it names. The other slot keeps the region before.
 *  Consumers: a process that maps a new region also unlinks the segment of the region before if it is still
 *  there (its seq is older: drained), which a consumer that died between moving on and releasing it left behind.
 *  Per process: the spill segment last mapped here, by seq. A region word that no longer names it (another process
 *  moved the side on) makes this process let go of it at its next use of the side, so a drained segment does not
 *  stay mapped where it was read.
 * </pre>
 */
final class SpillCursor {
    private final Segment queue;
    private final MappedBytes queueData;
    private final int regionOffset;
    private final int names;
    private final boolean releasesBehind;
    private int mappedSeq;
    private Segment mapped;
    private MappedBytes data;
    private long base;

    /**
     * @param queue the queue's segment
     * @param queueData its data
     * @param regionOffset the side's region word
     * @param names the side's two name slots
     * @param releasesBehind true for consumers: segments behind their region are drained (see the overview)
     */
    SpillCursor(Segment queue, MappedBytes queueData, int regionOffset, int names, boolean releasesBehind) {
        this.queue = queue;
        this.queueData = queueData;
        this.regionOffset = regionOffset;
        this.names = names;
        this.releasesBehind = releasesBehind;
    }

    /** @return the side's region: 0 for the ring, else the seq of its spill segment */
    int region() {
        return queue.getIntVolatile(regionOffset);
    }

    /** @return whether the side is in the ring (letting go of a spill segment still mapped here if so) */
    boolean inRing() {
        if (queue.getIntVolatile(regionOffset) != 0) {
            return false;
        }
        if (mapped != null) {
            letGo();
        }
        return true;
    }

    /**
     * Moves the side: to the ring (seq 0, name null) or to a spill segment. This process's mapping is unchanged.
     *
     * @param seq the segment's seq, or 0
     * @param name its name in ASCII, or null
     */
    void moveTo(int seq, byte[] name) {
        if (seq != 0) {
            int slot = olderThan(queue.getIntVolatile(names + NAME_SLOT), queue.getIntVolatile(names))
                    ? names + NAME_SLOT : names;
            queueData.put(slot + 8, name, 0, name.length);
            queue.setIntVolatile(slot + 4, name.length);
            queue.setIntVolatile(slot, seq);
        }
        queue.setIntVolatile(regionOffset, seq);
    }

    /**
     * This process's mapping of a spill segment, attached on first use.
     *
     * @param seq the segment's seq (the side's region, or one it is moving to)
     * @return the segment
     * @throws IllegalStateException if its name is not in a slot, or it is gone (see the overview of SpillChain)
     */
    Segment segment(int seq) {
        if (seq == mappedSeq && mapped != null) {
            return mapped;
        }
        letGo();
        String name = nameOf(seq);
        Segment s;
        try {
            s = Segment.attach(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("spilled queue records are gone: seq=" + seq + " name=" + name
                    + " queue=" + queue.name() + " (the queue's creating process and the producer that spilled them"
                    + " have both ended)", e);
        }
        if (s.kind() != SPILL_KIND || s.getIntVolatile(SPILL_SEQ_OFFSET) != seq) {
            s.close();
            throw new IllegalStateException("corrupt queue: spill segment does not match: name=" + name + " kind="
                    + s.kind() + " seq=" + seq + " queue=" + queue.name());
        }
        adopt(s, seq);
        if (releasesBehind) {
            releaseBehind(seq);
        }
        return s;
    }

    /** Unlinks the segment named in the other slot if its seq is older than {@code seq} and it is still there. */
    private void releaseBehind(int seq) {
        for (int slot = names; slot < names + 2 * NAME_SLOT; slot += NAME_SLOT) {
            int behind = queue.getIntVolatile(slot);
            if (behind != 0 && olderThan(behind, seq)) {
                try (Segment s = Segment.attach(nameAt(slot))) {
                    if (s.kind() == SPILL_KIND && s.getIntVolatile(SPILL_SEQ_OFFSET) == behind) {
                        s.unlink();
                    }
                } catch (IllegalArgumentException | IllegalStateException e) {
                    // gone already: released as it should be
                }
            }
        }
    }

    /** @return whether seq {@code a} was given out before {@code b} (seqs wrap) */
    private static boolean olderThan(int a, int b) {
        return a - b < 0;
    }

    /** Makes {@code s} (created by this process, seq {@code seq}) the one mapped here. */
    void adopt(Segment s, int seq) {
        letGo();
        mapped = s;
        mappedSeq = seq;
        data = new MappedBytes(s.data());
        base = s.getLongVolatile(SPILL_BASE);
    }

    /** @return the data of the segment mapped here */
    MappedBytes data() {
        return data;
    }

    /** @return the stream position of its first record */
    long base() {
        return base;
    }

    /** Deletes the name of the segment mapped here (it is drained) and lets go of it. */
    void release() {
        if (mapped != null) {
            mapped.unlink();
            letGo();
        }
    }

    /** Lets go of the segment mapped here, if any. */
    void letGo() {
        if (mapped != null) {
            mapped.close();
            mapped = null;
            data = null;
            mappedSeq = 0;
        }
    }

    private String nameOf(int seq) {
        for (int slot = names; slot < names + 2 * NAME_SLOT; slot += NAME_SLOT) {
            if (queue.getIntVolatile(slot) == seq) {
                return nameAt(slot);
            }
        }
        throw new IllegalStateException("corrupt queue: no name for spill segment seq=" + seq + " queue="
                + queue.name());
    }

    private String nameAt(int slot) {
        int length = queue.getIntVolatile(slot + 4);
        if (length <= 0 || length > NAME_SLOT - 8) {
            throw new IllegalStateException("corrupt queue: spill segment name length=" + length + " queue="
                    + queue.name());
        }
        byte[] name = new byte[length];
        queueData.get(slot + 8, name, 0, length);
        return new String(name, StandardCharsets.US_ASCII);
    }
}
