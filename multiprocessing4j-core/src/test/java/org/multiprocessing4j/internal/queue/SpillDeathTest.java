package org.multiprocessing4j.internal.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiprocessing4j.internal.queue.QueueLayout.pos;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.wait.Deadline;

/**
 * The state a producer leaves when it dies half-way through a spill, made exactly: a spill from one segment to the
 * next is put whole, then its publication is undone (the tail word set back to where it was), which leaves what a
 * producer that died between moving the producers' region and publishing leaves (the LINK written, the region
 * moved, the new segment's first record unpublished). QueueSpillTest kills real producers, which reaches this state
 * only now and then.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpillDeathTest {
    private static final int ITEM = 1000;

    private static byte[] item(int seq) {
        byte[] b = new byte[ITEM];
        Arrays.fill(b, (byte) seq);
        b[0] = (byte) (seq >>> 24);
        b[1] = (byte) (seq >>> 16);
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        return b;
    }

    /** A test's body, given a fresh queue, a second mapping of its words, and its two sides. */
    private interface Scenario {
        void run(ItemRing ring, Segment words, PutSide puts, TakeSide takes) throws Exception;
    }

    private static void withQueue(Scenario scenario) throws Exception {
        ItemRing ring = ItemRing.create(0);
        Segment words = QueueLayout.attach(ring.name());
        try {
            scenario.run(ring, words, ring.puts(), ring.takes());
        } finally {
            words.close();
            ring.discard();
        }
    }

    /** Fails unless the queue is drained, and then takes and gives items again (producers return to the ring). */
    private static void assertDrainedAndWorking(ItemRing ring, PutSide puts, TakeSide takes) throws Exception {
        assertNull(takes.take(Deadline.NONE, true, null), "drained");
        for (String s : new String[] {"after", "again"}) {
            assertTrue(puts.put(s, Deadline.NONE, false));
            assertEquals(s, takes.take(Deadline.NONE, true, null));
        }
        assertEquals(0, ring.size());
    }

    @Test
    void producersThatReturnToTheRingPastADeadProducersLinkAreFollowedByConsumers() throws Exception {
        withQueue((ring, words, puts, takes) -> {
            int regions = 0;
            int lastRegion = 0;
            long before = 0;
            int seq = 0;
            while (regions < 2) { // the ring spills into a first segment, then that one into a second
                before = words.getLongVolatile(QueueLayout.TAIL);
                assertTrue(puts.put(item(seq), Deadline.NONE, false));
                seq++;
                int region = words.getIntVolatile(QueueLayout.PRODUCER_REGION);
                if (region != lastRegion) {
                    regions++;
                    lastRegion = region;
                }
            }
            assertNotEquals(0, lastRegion, "producers spill");
            words.setLongVolatile(QueueLayout.TAIL, before); // the last put, into the second segment, never published
            for (int i = 0; i < seq - 1; i++) {
                assertArrayEquals(item(i), (byte[]) takes.take(Deadline.NONE, true, null), "item " + i);
            }
            assertDrainedAndWorking(ring, puts, takes);
        });
    }

    /**
     * The same death where the ring itself spills with its tail within LINK_BYTES of its end, so that the LINK went
     * to the start of the ring after a WRAP: the next producer, appending or returning to the ring, passes both.
     */
    @Test
    void aDeadProducersLinkAfterAWrapAtTheRingsEndIsPassedToo() throws Exception {
        withQueue((ring, words, puts, takes) -> {
            int capacity = QueueLayout.CAPACITY;
            // a record of 120 bytes taken at once: the ring then fills up to 8 bytes before its end (it keeps
            // LINK_RESERVE, 128 bytes, free behind the head)
            assertTrue(puts.put(new byte[recordOf(120)], Deadline.NONE, false));
            assertEquals(120, pos(words.getLongVolatile(QueueLayout.TAIL)), "a record of 120 bytes");
            takes.take(Deadline.NONE, true, null);
            int records = 0;
            for (long left = capacity - 128; left > 0; ) {
                int size = (int) Math.min(65536, left);
                assertTrue(puts.put(item(records++, recordOf(size)), Deadline.NONE, false));
                left -= size;
            }
            long tail = words.getLongVolatile(QueueLayout.TAIL);
            assertEquals(capacity - 8, pos(tail) % capacity, "the tail 8 bytes before the ring's end");
            assertEquals(0, words.getIntVolatile(QueueLayout.PRODUCER_REGION), "not spilled yet");
            assertTrue(puts.put(item(records, ITEM), Deadline.NONE, false)); // no room: WRAP, LINK at 0, a segment
            assertNotEquals(0, words.getIntVolatile(QueueLayout.PRODUCER_REGION), "spilled");
            words.setLongVolatile(QueueLayout.TAIL, tail); // its publication undone: the producer died before it
            for (int i = 0; i < records; i++) {
                assertEquals(i, ((byte[]) takes.take(Deadline.NONE, true, null))[3] & 0xff, "record " + i);
            }
            assertDrainedAndWorking(ring, puts, takes);
        });
    }

    /** @return the length of a byte[] whose record in the ring takes {@code size} bytes (a multiple of 8) */
    private static int recordOf(int size) {
        return size - 8; // a 4-byte length, the codec's 1-byte tag, the bytes, padded to 8
    }

    private static byte[] item(int seq, int length) {
        byte[] b = new byte[length];
        b[3] = (byte) seq;
        return b;
    }
}
