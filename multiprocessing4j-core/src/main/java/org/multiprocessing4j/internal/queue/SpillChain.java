package org.multiprocessing4j.internal.queue;

import static org.multiprocessing4j.internal.queue.QueueLayout.DATA;
import static org.multiprocessing4j.internal.queue.QueueLayout.HEAD;
import static org.multiprocessing4j.internal.queue.QueueLayout.HOME;
import static org.multiprocessing4j.internal.queue.QueueLayout.LINK;
import static org.multiprocessing4j.internal.queue.QueueLayout.LINK_BYTES;
import static org.multiprocessing4j.internal.queue.QueueLayout.LINK_HEADER;
import static org.multiprocessing4j.internal.queue.QueueLayout.POS_MASK;
import static org.multiprocessing4j.internal.queue.QueueLayout.SPILL_DATA;
import static org.multiprocessing4j.internal.queue.QueueLayout.SPILL_SIZE;
import static org.multiprocessing4j.internal.queue.QueueLayout.TAIL;
import static org.multiprocessing4j.internal.queue.QueueLayout.WRAP;
import static org.multiprocessing4j.internal.queue.QueueLayout.bytesBetween;
import static org.multiprocessing4j.internal.queue.QueueLayout.count;
import static org.multiprocessing4j.internal.queue.QueueLayout.pos;
import static org.multiprocessing4j.internal.queue.QueueLayout.word;

import java.nio.charset.StandardCharsets;
import org.multiprocessing4j.internal.memory.MappedBytes;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.sync.Mutex;
import org.multiprocessing4j.internal.wait.Deadline;

/**
 * The growth of a queue beyond its ring: when the ring cannot take a record, producers go on in a chain of spill
 * segments, which consumers follow and release once drained; so a put waits for bytes no longer than SPILL_AFTER
 * (1 ms), only a bounded queue's put for its item count.
 *
 * <pre>
 * Overview (layout: {@link QueueLayout}; {@link PutSide} and {@link TakeSide} call in only when the ring is full
 *  or a side is not in the ring, so the ring's own put and take are unchanged).
 *  The stream: the head and tail words stay the only truth for counts and positions (one store publishes or takes a
 *  record wherever it lies). Each side has a region ({@link SpillCursor}): a position p is at ring index
 *  p mod capacity while the side is in the ring, at p - base in its spill segment otherwise. Markers move the
 *  sides: LINK (in the ring or a segment: go on in the segment it names; it takes LINK_BYTES of the stream) and
 *  HOME (in a segment: go on in the ring at the same position).
 *  Producers, under the put lock:
 *   spill:  the ring (or the current segment) cannot take the record:
 *           1. create a segment, hand it over to the queue's creating process (as a large item's), write its seq and
 *              base (the position after the LINK);
 *           2. write the LINK at the tail (in the ring after a WRAP if it would cross the end: every ring record
 *              leaves LINK_RESERVE free for this);
 *           3. move the producers' region to it; let go of the segment they filled before (it stays, handed over);
 *           4. write the record at its start; publish it with the tail word as ever.
 *   append: into the current segment while it has room for the record and a LINK after it.
 *   return: producers in a segment whose backlog (tail - head) is down to RETURN_WATER write HOME at the tail and
 *           move to the ring, whose indices between head and the new tail then hold nothing live (the backlog
 *           fits), and go on there. Hysteresis: a ring that hovers near full does not make a segment per record.
 *  Consumers, under the take lock:
 *   LINK:   move the consumers' region to the named segment, then the head word past the LINK; release the segment
 *           they leave (unlink its name: the memory goes when the last process unmaps it).
 *   HOME:   move to the ring; release the segment.
 *   drained: a take that finds the queue empty while the consumers are in the producers' segment takes the put
 *           lock if it is free and moves both sides to the ring (a HOME at the tail first, for a death half-way),
 *           releasing the segment: memory shrinks back to the ring once consumers catch up.
 *  A bounded queue spills as well: maxsize, an item count, is its only bound.
 *
 * If a participating process dies (locks are robust; markers and region words are written before the store that
 * makes them reachable):
 *  - a producer before step 3: its segment is not in the stream; the next spill writes a new LINK over the old.
 *    Created but not yet handed over, the segment is swept once the producer is reaped; handed over (a few
 *    instructions before step 3), it stays until the queue's creating process ends. After step 3, before 4: the
 *    next producer appends to the segment (its tail is still at the LINK, or at a WRAP before it where the LINK
 *    went to the start of the ring: the next publish passes both). After 4: the item is in the queue.
 *  - a producer returning, after HOME, before its region store: the next producer overwrites the HOME. A producer
 *    that returns while the tail is still at a dead producer's LINK publishes the LINK (the tail moves to the
 *    segment's base, no item counted) before its region store: dying between the two, it leaves the next producer
 *    appending at the base, over the HOME, which no consumer has read (the head cannot pass the tail).
 *  - a consumer after its region store, before the head store: the next consumer finds the head LINK_BYTES before
 *    its segment's base and moves it. Before the release: the drained segment is unlinked by the next consumer
 *    process that maps a new segment (SpillCursor keeps the name of the region before).
 *  - the queue's creating process: segments are handed to it; once it has ended, a segment lives while its last
 *    producer or any process mapping it lives; spilled records are lost if none does.
 * </pre>
 */
final class SpillChain {
    /**
     * How long a put that finds the ring full gives consumers to make room before it spills: a stream that consumers
     * keep up with stays in the ring's warm pages (a producer that outruns them is paced by them, not by the CPU it
     * takes from them), while a put behind absent consumers waits no longer than this.
     */
    static final long SPILL_AFTER = Long.getLong("mp4j.queue.spillAfterNanos", 1_000_000L);
    private static final int SPILL_ROOM = SPILL_SIZE - SPILL_DATA;

    private final Segment queue;
    private final MappedBytes ring;
    private final int capacity;
    private final Mutex putLock;
    private final LocalWords local;
    private final SpillCursor producers;
    private final SpillCursor consumers;

    /**
     * @param queue the queue's segment
     * @param ring its data
     * @param putLock the producers' lock, taken (if free) by a consumer that finds a spilled queue drained
     * @param local this process's copies of the words (the tail copy is cleared when a consumer takes the put lock)
     */
    SpillChain(Segment queue, MappedBytes ring, Mutex putLock, LocalWords local) {
        this.queue = queue;
        this.ring = ring;
        this.capacity = queue.getIntVolatile(QueueLayout.CAPACITY_OFFSET);
        this.putLock = putLock;
        this.local = local;
        this.producers = new SpillCursor(queue, ring, QueueLayout.PRODUCER_REGION, QueueLayout.PRODUCER_NAMES, false);
        this.consumers = new SpillCursor(queue, ring, QueueLayout.CONSUMER_REGION, QueueLayout.CONSUMER_NAMES, true);
    }

    /**
     * @param deadline a put's {@link System#nanoTime()} deadline, or {@code Deadline.NONE}
     * @return when a put that finds the ring full stops waiting for room and spills
     */
    static long spillDeadline(long deadline) {
        long now = System.nanoTime();
        return Deadline.remaining(deadline, now) < SPILL_AFTER ? deadline : now + SPILL_AFTER;
    }

    // ---- producers, under the put lock ----------------------------------------------------------------------------

    /** @return whether producers append to the ring */
    boolean producersInRing() {
        return producers.inRing();
    }

    /**
     * Moves producers from their segment back to the ring if the backlog is down to RETURN_WATER. If a producer died
     * between moving the region and publishing (the tail still at the LINK that leads to the segment), the LINK is
     * published first, with no item: consumers follow it to the segment, where the HOME at its base sends them to the
     * ring at that base, and producers go on there, not at the LINK (consumers would then read the ring LINK_BYTES
     * after them).
     *
     * @param tail the tail word
     * @param head the head word
     * @return whether they are in the ring now; the caller reads the tail word again
     */
    boolean returnToRing(long tail, long head) {
        if (bytesBetween(head, tail) > QueueLayout.RETURN_WATER) {
            return false;
        }
        producers.segment(producers.region());
        long at = producerPos(tail);
        producers.data().putInt(SPILL_DATA + (int) (at - producers.base()), HOME);
        if (at != pos(tail)) {
            queue.setLongRelease(TAIL, word(count(tail), at)); // before the region: see the class comment
        }
        producers.moveTo(0, null);
        producers.letGo();
        return true;
    }

    /**
     * Appends and publishes a record that the ring cannot take, or that comes while producers spill: in their
     * segment if it has room, else in a new one linked at the tail.
     *
     * @param tail the tail word
     * @param need the record's size ({@link Records#size})
     * @param item the item
     * @param bytes its encoding or null ({@link Records#write})
     * @param length the encoding's length
     * @param sideName the name of a large item's segment, or null
     */
    void append(long tail, long need, Object item, byte[] bytes, int length, byte[] sideName) {
        long pos = pos(tail);
        int seq = producers.region();
        MappedBytes linkBuf;
        int linkAt;
        if (seq == 0) {
            int index = (int) (pos & (capacity - 1));
            if (index + LINK_BYTES > capacity) {
                ring.putInt(DATA + index, WRAP);
                pos += capacity - index;
                index = 0;
            }
            linkBuf = ring;
            linkAt = DATA + index;
        } else {
            producers.segment(seq);
            pos = producerPos(tail);
            int off = (int) (pos - producers.base());
            if (off + need + LINK_BYTES <= SPILL_ROOM) {
                Records.write(producers.data(), SPILL_DATA + off, item, bytes, length, sideName);
                queue.setLongRelease(TAIL, word(count(tail) + 1, pos + need));
                return;
            }
            linkBuf = producers.data();
            linkAt = SPILL_DATA + off;
        }
        long base = pos + LINK_BYTES;
        int next = nextSeq();
        Segment s = create(next, base);
        byte[] name = s.name().getBytes(StandardCharsets.US_ASCII);
        linkBuf.putInt(linkAt + 4, next);
        linkBuf.putInt(linkAt + 8, name.length);
        linkBuf.putInt(linkAt + 12, 0);
        linkBuf.put(linkAt + LINK_HEADER, name, 0, name.length);
        linkBuf.putInt(linkAt, LINK);
        producers.moveTo(next, name);
        producers.adopt(s, next);
        Records.write(producers.data(), SPILL_DATA, item, bytes, length, sideName);
        queue.setLongRelease(TAIL, word(count(tail) + 1, base + need));
    }

    private int nextSeq() {
        int seq = queue.getIntVolatile(QueueLayout.SPILL_SEQ) + 1;
        if (seq == 0) {
            seq = 1;
        }
        queue.setIntVolatile(QueueLayout.SPILL_SEQ, seq);
        return seq;
    }

    private Segment create(int seq, long base) {
        Segment s = Segment.create(SPILL_SIZE, QueueLayout.SPILL_KIND);
        try {
            SideItems.handOver(s, queue.getLongVolatile(QueueLayout.CREATOR_PID),
                    queue.getLongVolatile(QueueLayout.CREATOR_START));
            s.setLongVolatile(QueueLayout.SPILL_BASE, base);
            s.setIntVolatile(QueueLayout.SPILL_SEQ_OFFSET, seq);
            return s;
        } catch (RuntimeException | Error e) {
            s.unlink();
            s.close();
            throw e;
        }
    }

    // ---- consumers, under the take lock ---------------------------------------------------------------------------

    /** @return whether consumers read the ring */
    boolean consumersInRing() {
        return consumers.inRing();
    }

    /**
     * Follows a LINK at the head, in the ring or in the consumers' segment.
     *
     * @param buf where the LINK lies
     * @param at its absolute index
     * @param head the head word
     */
    void follow(MappedBytes buf, int at, long head) {
        int seq = buf.getInt(at + 4);
        int nameLength = buf.getInt(at + 8);
        if (seq == 0 || nameLength <= 0 || nameLength > LINK_BYTES - LINK_HEADER) {
            throw Records.corrupt(queue, "link seq=" + seq + " nameLength=" + nameLength, head);
        }
        byte[] name = new byte[nameLength];
        buf.get(at + LINK_HEADER, name, 0, nameLength);
        boolean fromSegment = consumers.region() != 0;
        consumers.moveTo(seq, name);
        queue.setLongRelease(HEAD, word(count(head), pos(head) + LINK_BYTES));
        if (fromSegment) {
            consumers.release();
        }
    }

    /**
     * Steps 2 and 3 of take while consumers are in a segment: the head record there ({@link Records#claim}), or
     * {@link Records#AGAIN} after a marker.
     *
     * @param head the head word, behind the tail
     * @param remove true to take, false to peek
     * @return the claim, or {@link Records#AGAIN}
     */
    Object claim(long head, boolean remove) {
        consumers.segment(consumers.region());
        long off = bytesBetween(consumers.base(), pos(head));
        if (off > POS_MASK / 2) { // a consumer died between its region store and its head store: finish
            if (bytesBetween(pos(head), consumers.base()) != LINK_BYTES) {
                throw Records.corrupt(queue, "head before its spill segment: base=" + consumers.base(), head);
            }
            queue.setLongRelease(HEAD, word(count(head), consumers.base()));
            return Records.AGAIN;
        }
        if (off > SPILL_ROOM - 8) {
            throw Records.corrupt(queue, "head beyond its spill segment: base=" + consumers.base(), head);
        }
        MappedBytes buf = consumers.data();
        int at = SPILL_DATA + (int) off;
        int len = buf.getInt(at);
        if (len == LINK) {
            follow(buf, at, head);
            return Records.AGAIN;
        }
        if (len == HOME) {
            consumers.moveTo(0, null);
            consumers.release();
            return Records.AGAIN;
        }
        return Records.claim(queue, buf, at, len, SPILL_ROOM - off, head, remove);
    }

    /**
     * After a take found the queue empty: if consumers are in the producers' segment and the put lock is free, both
     * sides move to the ring and the segment is released.
     *
     * @param head the head word, equal to the tail word
     */
    void shrinkIfDrained(long head) {
        int seq = consumers.region();
        if (seq == 0 || queue.getIntVolatile(QueueLayout.PRODUCER_REGION) != seq || !putLock.tryLock()) {
            return;
        }
        try {
            local.tailValid = false;
            if (producers.region() != seq || queue.getLongVolatile(TAIL) != head) {
                return;
            }
            consumers.segment(seq);
            int off = offset(consumers, head);
            if (off < 0 || off > SPILL_ROOM - LINK_BYTES) {
                return; // the head is not in the segment yet (a consumer died moving it): the next take fixes it
            }
            consumers.data().putInt(SPILL_DATA + off, HOME);
            producers.moveTo(0, null);
            consumers.moveTo(0, null);
            consumers.release();
        } finally {
            putLock.unlock();
        }
    }

    /**
     * @return where the next record goes in the producers' segment: at the tail, or at the base if the tail is still
     *     at the LINK (a producer died between moving the region and publishing): the next publish passes the LINK,
     *     and a WRAP before it where the LINK went to the start of the ring
     */
    private long producerPos(long tail) {
        long base = producers.base();
        long link = base - LINK_BYTES;
        long gap = bytesBetween(pos(tail), link);
        if (gap == 0 || gap < LINK_BYTES && (link & (capacity - 1)) == 0) {
            return base;
        }
        int off = offset(producers, tail);
        if (off < 0 || off > SPILL_ROOM - LINK_BYTES) {
            throw Records.corrupt(queue, "tail outside its spill segment: base=" + base, tail);
        }
        return pos(tail);
    }

    /** @return the offset of a word's position in the side's segment, or -1 if before it or far beyond */
    private static int offset(SpillCursor side, long word) {
        long off = bytesBetween(side.base(), pos(word));
        return off > SPILL_ROOM ? -1 : (int) off;
    }
}
