package org.multiprocessing4j.internal.queue;

import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.memory.Segments;
import org.multiprocessing4j.internal.resource.ProcessIdentity;
import org.multiprocessing4j.internal.sync.Mutex;
import org.multiprocessing4j.internal.wait.WaitQueue;

/**
 * Named offsets of a queue's shared-memory segment (relative to the segment's data), as Agrona's
 * {@code RingBufferDescriptor}, and the making and attaching of one.
 *
 * <pre>
 * offset   field
 * 0        magic (int)            4  maxsize (int: 0 = unbounded)      8  ring capacity (int, a power of two)
 * 16       creator pid (long)     24 creator start millis (long): large items are handed over to this process
 * 64       tail word (long): items ever published (mod 2^24) << 40 | bytes ever published (mod 2^40)
 * 72       producers' region (int): 0 = they append to this ring, else the seq of the spill segment they fill
 * 128      head word (long): items ever taken (mod 2^24) << 40 | bytes ever consumed (mod 2^40)
 * 136      consumers' region (int): 0 = they read this ring, else the seq of the spill segment they read
 *          One store of a word publishes (or consumes) a record and counts it: nothing is ever half published.
 *          Positions are of one stream of records, in this ring or in spill segments (SpillChain): a record at
 *          position p lies at ring index p mod capacity, or at p - base in the spill segment of its region.
 * 192      doneCount (long: taskDone calls, JoinableProcessQueue; compared with the put count mod 2^24)
 * 256      last spill seq given out (int)
 * 512      lost (long: items whose side segment was gone when taken: a consumer died after claiming them)
 * 576      producers' region names: 2 slots of (int seq, int name length, name bytes), 64 bytes each (SpillCursor)
 * 704      consumers' region names: the same
 * 1024     put lock (Mutex)       2048 take lock (Mutex)
 * 3072     WaitQueue of consumers waiting for an item     3712 of producers waiting for room
 * 4352     WaitQueue of join() callers
 * 8192     DATA: capacity bytes of records, each 8-byte aligned and never split by the end of the ring:
 *            int length >= 0      an inline item: length bytes follow (the codec's encoding)
 *            int WRAP (-1)        nothing more in this lap: the next record starts at the ring's start
 *            int SIDE (-2), int name length, long item length, name bytes: the item is in a segment of its own
 *            int LINK (-3), int seq, int name length, int 0, name bytes: the stream goes on in that spill segment,
 *                           whose base is this position + LINK_BYTES (a LINK takes LINK_BYTES of the stream)
 *          Every record leaves LINK_RESERVE bytes free behind it, so that a LINK always fits after the last one.
 *
 * A spill segment (kind SPILL_KIND, SPILL_SIZE bytes of data), written once from its start, never wrapped:
 * 0        seq (int)              8  base (long): the stream position of its first record
 * 64       SPILL_DATA: records and markers as above, and
 *            int HOME (-4)        the stream goes on in the ring, at this same position (takes no bytes)
 *          A record there leaves LINK_BYTES free behind it, for the LINK or HOME that ends the segment.
 * </pre>
 */
final class QueueLayout {
    static final int KIND = 0x5155_4555;
    static final int ITEM_KIND = 0x5149_544d;
    static final int MAGIC = 0x6d70_7175;
    static final int MAGIC_OFFSET = 0;
    static final int MAXSIZE = 4;
    static final int CAPACITY_OFFSET = 8;
    static final int CREATOR_PID = 16;
    static final int CREATOR_START = 24;
    static final int TAIL = 64;
    static final int PRODUCER_REGION = 72;
    static final int HEAD = 128;
    static final int CONSUMER_REGION = 136;
    static final int DONE_COUNT = 192;
    static final int SPILL_SEQ = 256;
    static final int LOST = 512;
    static final int PRODUCER_NAMES = 576;
    static final int CONSUMER_NAMES = 704;
    static final int NAME_SLOT = 64;
    static final int PUT_LOCK = 1024;
    static final int TAKE_LOCK = 2048;
    static final int NOT_EMPTY = 3072;
    static final int NOT_FULL = 3712;
    static final int ALL_DONE = 4352;
    static final int DATA = 8192;

    static final int WRAP = -1;
    static final int SIDE = -2;
    static final int LINK = -3;
    static final int HOME = -4;
    static final int SIDE_HEADER = 16;
    static final int LINK_HEADER = 16;
    /** The bytes of a LINK marker (its header and a segment name of up to 48 bytes). */
    static final int LINK_BYTES = 64;
    /** What every record in the ring leaves free behind it: a LINK, and the WRAP that may have to precede it. */
    static final int LINK_RESERVE = 2 * LINK_BYTES;

    static final int SPILL_KIND = 0x5153_504c;
    static final int SPILL_SEQ_OFFSET = 0;
    static final int SPILL_BASE = 8;
    static final int SPILL_DATA = 64;

    static final int POS_BITS = 40;
    static final long POS_MASK = (1L << POS_BITS) - 1;
    static final long COUNT_MASK = (1L << 24) - 1;

    /**
     * Ring capacity: 4 MiB, as a pipe's. Pages are faulted in by use, so an idle or lightly used queue costs little
     * (a first touch of a page costs microseconds: with a 16 MiB ring, faults took about half the time of the 1 KiB
     * throughput benchmark). A backlog beyond this many bytes of untaken records goes on in spill segments
     * (SpillChain).
     */
    static final int CAPACITY = 1 << 22;
    /** Each process faults in this many bytes of the ring when it maps the queue (see ItemRing). */
    static final int HOT_ZONE = 1 << 20;
    /**
     * A take wakes a producer of an unbounded queue parked for ring bytes only once this many are free (it waits at
     * most 1 ms before it spills, and polls meanwhile; a bounded queue's producers are woken at every take).
     */
    static final int LOW_WATER = CAPACITY / 4;
    /** Items whose record would be larger than this go into a segment of their own. */
    static final int INLINE_MAX = CAPACITY / 8;
    /**
     * The data size of a spill segment, as the ring's: created when the ring (or the last spill segment) cannot take
     * a record, released once drained. Its pages are touched once each, in order.
     */
    static final int SPILL_SIZE = CAPACITY;
    /** Producers that spill return to the ring once the backlog is this small again (not at once: hysteresis). */
    static final int RETURN_WATER = CAPACITY / 2;

    static {
        check(PUT_LOCK + Mutex.BYTES <= TAKE_LOCK, "put lock");
        check(TAKE_LOCK + Mutex.BYTES <= NOT_EMPTY, "take lock");
        check(NOT_EMPTY + WaitQueue.BYTES <= NOT_FULL, "notEmpty");
        check(NOT_FULL + WaitQueue.BYTES <= ALL_DONE, "notFull");
        check(ALL_DONE + WaitQueue.BYTES <= DATA, "allDone");
        check(LOST + 8 <= PRODUCER_NAMES && CONSUMER_NAMES + 2 * NAME_SLOT <= PUT_LOCK, "region names");
        check(SPILL_SIZE - SPILL_DATA >= INLINE_MAX + LINK_BYTES, "spill size");
    }

    private QueueLayout() {
    }

    private static void check(boolean fits, String what) {
        if (!fits) {
            throw new IllegalStateException("queue layout overlaps: field=" + what);
        }
    }

    /**
     * Makes a queue's segment, this process its creator; it stays mapped in this process until the process ends.
     *
     * @param maxsize the most items it holds, 0 for no limit
     * @return the segment
     * @throws IllegalArgumentException if maxsize is negative
     */
    static Segment create(int maxsize) {
        if (maxsize < 0) {
            throw new IllegalArgumentException("queue maxsize must be 0 (unbounded) or more: maxsize=" + maxsize);
        }
        Segment seg = Segments.createShared(size(CAPACITY), KIND);
        Segments.takeHandOvers(); // large items and spill segments are handed over to this process
        seg.setIntVolatile(MAXSIZE, maxsize);
        seg.setIntVolatile(CAPACITY_OFFSET, CAPACITY);
        seg.setLongVolatile(CREATOR_PID, ProcessIdentity.selfPid());
        seg.setLongVolatile(CREATOR_START, ProcessIdentity.selfStart());
        seg.setIntVolatile(MAGIC_OFFSET, MAGIC);
        return seg;
    }

    /**
     * This process's mapping of a queue's segment made elsewhere (one per process, shared by every copy).
     *
     * @param name the segment name
     * @return the segment
     * @throws IllegalArgumentException if the queue is gone, or the name is not a queue's
     */
    static Segment attach(String name) {
        Segment seg = Segments.attachShared(name, KIND, size(CAPACITY));
        if (seg.getIntVolatile(MAGIC_OFFSET) != MAGIC) {
            throw new IllegalArgumentException("shared memory block is not a queue: name=" + name);
        }
        return seg;
    }

    /** @return the segment's data size for a ring of {@code capacity} bytes */
    static long size(int capacity) {
        return DATA + (long) capacity;
    }

    /** @return a tail or head word */
    static long word(long count, long pos) {
        return (count & COUNT_MASK) << POS_BITS | (pos & POS_MASK);
    }

    /** @return the byte position of a word */
    static long pos(long word) {
        return word & POS_MASK;
    }

    /** @return the item count of a word */
    static long count(long word) {
        return word >>> POS_BITS;
    }

    /** @return bytes between two positions (mod 2^40) */
    static long bytesBetween(long fromWord, long toWord) {
        return (toWord - fromWord) & POS_MASK;
    }

    /** @return items between two counts (mod 2^24) */
    static long itemsBetween(long from, long to) {
        return (to - from) & COUNT_MASK;
    }

    /** @return {@code n} rounded up to a multiple of 8 */
    static long align(long n) {
        return (n + 7) & ~7L;
    }
}
