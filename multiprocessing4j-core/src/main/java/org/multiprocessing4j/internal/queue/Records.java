package org.multiprocessing4j.internal.queue;

import static org.multiprocessing4j.internal.queue.QueueLayout.HEAD;
import static org.multiprocessing4j.internal.queue.QueueLayout.SIDE;
import static org.multiprocessing4j.internal.queue.QueueLayout.SIDE_HEADER;
import static org.multiprocessing4j.internal.queue.QueueLayout.TAIL;
import static org.multiprocessing4j.internal.queue.QueueLayout.align;
import static org.multiprocessing4j.internal.queue.QueueLayout.count;
import static org.multiprocessing4j.internal.queue.QueueLayout.pos;
import static org.multiprocessing4j.internal.queue.QueueLayout.word;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.multiprocessing4j.internal.codec.BufferCodec;
import org.multiprocessing4j.internal.memory.MappedBytes;
import org.multiprocessing4j.internal.memory.Segment;

/**
 * The item records of a queue, written and read wherever they live: in the queue's own ring or in a spill segment
 * ({@link SpillChain}). A record is an inline item (int length, then the codec's bytes) or a SIDE record naming the
 * segment of a large item ({@link SideItems}); the markers between records (WRAP, LINK, HOME) belong to the ring
 * and the chain, not to this class. Both sides count a record in the queue's head and tail words, so taking one
 * commits the same way wherever it lies.
 */
final class Records {
    /** What {@link #claim} returns when the record was a side item that a dead consumer had already taken. */
    static final Object AGAIN = new Object();

    private Records() {
    }

    /** @return the bytes a record takes, 8-aligned: inline, or a SIDE record naming {@code sideName} */
    static long size(int length, byte[] sideName) {
        return sideName == null ? align(4L + length) : align(SIDE_HEADER + (long) sideName.length);
    }

    /**
     * Writes one record at {@code at}; the caller has checked that {@link #size} bytes are free there.
     *
     * @param buf the ring or spill data
     * @param at absolute index in {@code buf}
     * @param item the item (written straight in when {@code bytes} is null, see {@code BufferCodec.directSize})
     * @param bytes its encoding, or null
     * @param length the encoding's length (of the item in its side segment, for a SIDE record)
     * @param sideName the name of the item's own segment, or null for an inline record
     */
    static void write(MappedBytes buf, int at, Object item, byte[] bytes, int length, byte[] sideName) {
        if (sideName != null) {
            buf.putInt(at, SIDE);
            buf.putInt(at + 4, sideName.length);
            buf.putLong(at + 8, length);
            buf.put(at + SIDE_HEADER, sideName, 0, sideName.length);
        } else {
            buf.putInt(at, length);
            if (bytes != null) {
                buf.put(at + 4, bytes, 0, length);
            } else {
                BufferCodec.encodeInto(item, buf, at + 4);
            }
        }
    }

    /**
     * Step 2 and 3 of take for the record at the head: the item decoded, or bytes to deserialize
     * ({@link Taken.Raw}), or a side item ({@link SideItems.Claimed}); with {@code remove}, the head word moves past
     * the record in the same step. A side item whose segment is gone is counted in LOST, passed, and {@link #AGAIN}
     * returned.
     *
     * @param queue the queue's segment (head and tail words)
     * @param buf where the record lies
     * @param at its absolute index in {@code buf}
     * @param len the int at {@code at}, as the caller read it (a record's length, or SIDE)
     * @param room bytes from {@code at} to the end of its ring or segment
     * @param head the head word read under the take lock
     * @param remove true to take, false to peek
     * @return the claim, or {@link #AGAIN}
     * @throws IllegalStateException if the record is corrupt
     */
    static Object claim(Segment queue, MappedBytes buf, int at, int len, long room, long head, boolean remove) {
        if (len > 0 && align(4L + len) <= room) {
            Object item;
            try {
                item = BufferCodec.decodeQuickly(buf, at + 4, len);
            } catch (IOException e) {
                item = new Taken.Failed(e);
            }
            if (item == BufferCodec.NOT_QUICK) {
                byte[] raw = new byte[len];
                buf.get(at + 4, raw, 0, len);
                item = new Taken.Raw(raw);
            }
            if (remove) {
                queue.setLongRelease(HEAD, headAfter(head, len));
            }
            return item;
        }
        return claimSide(queue, buf, at, room, head, remove);
    }

    /** @return the head word after taking the inline record of length {@code len} at {@code head} */
    static long headAfter(long head, int len) {
        return word(count(head) + 1, pos(head) + align(4L + len));
    }

    /** {@link #claim} of a SIDE record (apart, so that the inline case stays small enough to be inlined). */
    private static Object claimSide(Segment queue, MappedBytes buf, int at, long room, long head, boolean remove) {
        int len = buf.getInt(at);
        int nameLength = len == SIDE ? buf.getInt(at + 4) : -1;
        if (nameLength <= 0 || nameLength > 100 || align(SIDE_HEADER + (long) nameLength) > room) {
            throw corrupt(queue, "length=" + len + " nameLength=" + nameLength, head);
        }
        byte[] name = new byte[nameLength];
        buf.get(at + SIDE_HEADER, name, 0, nameLength);
        SideItems.Claimed claimed = SideItems.claim(new String(name, StandardCharsets.US_ASCII),
                buf.getLong(at + 8), remove);
        if (remove || claimed == null) {
            queue.setLongRelease(HEAD, word(count(head) + 1, pos(head) + align(SIDE_HEADER + (long) nameLength)));
        }
        if (claimed != null) {
            return claimed;
        }
        queue.getAndAddLong(QueueLayout.LOST, 1);
        return AGAIN;
    }

    /** @return the failure for a record or marker that cannot be what it says */
    static IllegalStateException corrupt(Segment queue, String what, long head) {
        return new IllegalStateException("corrupt queue record: " + what + " head=" + head + " tail="
                + queue.getLongVolatile(TAIL) + " segment=" + queue.name());
    }
}
