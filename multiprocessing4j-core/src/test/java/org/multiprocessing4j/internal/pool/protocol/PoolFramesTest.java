package org.multiprocessing4j.internal.pool.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.codec.ByteSink;
import org.multiprocessing4j.internal.wire.Frames;

/**
 * Messages written into a ByteSink, as a channel queues them, decode (FrameReader) to the same messages; a
 * message cut short is rejected.
 */
class PoolFramesTest {

    /** Writes messages as PoolChannel.send does and decodes them back, frame by frame. */
    private static List<PoolMessage> roundTrip(ByteSink buffer, List<PoolMessage> messages) throws IOException {
        for (PoolMessage m : messages) {
            int start = buffer.size();
            buffer.putInt(0);
            buffer.putByte(m.kind());
            m.writeFields(buffer);
            buffer.putIntAt(start, buffer.size() - start - 4);
        }
        List<PoolMessage> out = new ArrayList<>();
        for (int at = 0; at < buffer.size(); ) {
            int length = Frames.getInt(buffer.array(), at);
            out.add(PoolMessage.decode(buffer.array(), at + 4, length));
            at += 4 + length;
        }
        return out;
    }

    @Test
    void everyFieldSurvivesIncludingSignsAndExtremes() throws IOException {
        byte[] value = {1, -2, 127, -128, 0};
        List<PoolMessage> out = roundTrip(new ByteSink(8192, 1 << 20), List.of(
                new PoolMessage.Hello(3, Long.MAX_VALUE, -1L),
                new PoolMessage.Chunk(Long.MIN_VALUE, -7, true, value),
                new PoolMessage.Result(42, value, -123_456_789_012L),
                new PoolMessage.Failure(9, Integer.MIN_VALUE, new byte[0], 0x0102030405060708L)));
        PoolMessage.Hello hello = (PoolMessage.Hello) out.get(0);
        assertEquals(3, hello.slot());
        assertEquals(Long.MAX_VALUE, hello.generation());
        assertEquals(-1L, hello.pid());
        PoolMessage.Chunk chunk = (PoolMessage.Chunk) out.get(1);
        assertEquals(Long.MIN_VALUE, chunk.taskId());
        assertEquals(-7, chunk.fnId());
        assertEquals(true, chunk.spread());
        assertArrayEquals(value, chunk.items());
        PoolMessage.Result result = (PoolMessage.Result) out.get(2);
        assertEquals(42, result.taskId());
        assertEquals(-123_456_789_012L, result.busyNanos());
        assertArrayEquals(value, result.value());
        PoolMessage.Failure failure = (PoolMessage.Failure) out.get(3);
        assertEquals(Integer.MIN_VALUE, failure.item());
        assertEquals(0x0102030405060708L, failure.busyNanos());
        assertEquals(0, failure.error().length);
    }

    @Test
    void chunksAndResultsCarryTheFirstCountEntriesOfTheirArrays() throws IOException {
        byte[][] items = {{1}, {2, 3}, {}, {9}};
        long[] ids = {5, 6, Long.MAX_VALUE, 99};
        long[] busy = {7, -1, 0, 99};
        List<PoolMessage> out = roundTrip(new ByteSink(8192, 1 << 20), List.of(
                new PoolMessage.Chunks(12, true, 3, ids, items),
                new PoolMessage.Results(2, ids, busy, items),
                new PoolMessage.Results(0, ids, busy, items)));
        PoolMessage.Chunks chunks = (PoolMessage.Chunks) out.get(0);
        assertEquals(3, chunks.count());
        for (int i = 0; i < 3; i++) {
            PoolMessage.Chunk c = chunks.chunk(i);
            assertEquals(ids[i], c.taskId());
            assertEquals(12, c.fnId());
            assertEquals(true, c.spread());
            assertArrayEquals(items[i], c.items());
        }
        PoolMessage.Results results = (PoolMessage.Results) out.get(1);
        assertEquals(2, results.count());
        for (int i = 0; i < 2; i++) {
            assertEquals(ids[i], results.taskIds()[i]);
            assertEquals(busy[i], results.busyNanos()[i]);
            assertArrayEquals(items[i], results.values()[i]);
        }
        assertEquals(0, ((PoolMessage.Results) out.get(2)).count());
    }

    @Test
    void aBatchWhoseCountItsFrameCannotHoldIsRejected() {
        ByteSink buffer = new ByteSink(8192, 1 << 20);
        buffer.putByte(11);
        buffer.putInt(1_000_000);
        assertThrows(StreamCorruptedException.class, () -> PoolMessage.decode(buffer.array(), 0, buffer.size()));
        ByteSink chunks = new ByteSink(8192, 1 << 20);
        chunks.putByte(12);
        chunks.putInt(1);
        chunks.putByte(0);
        chunks.putInt(-1);
        assertThrows(StreamCorruptedException.class, () -> PoolMessage.decode(chunks.array(), 0, chunks.size()));
    }

    @Test
    void growsPastItsFirstArrayAndStartsSmallAgainAfterABigBatch() throws IOException {
        ByteSink buffer = new ByteSink(8192, 1 << 20);
        byte[] big = new byte[3 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        List<PoolMessage> messages = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            messages.add(new PoolMessage.Cancel(i));
        }
        messages.add(new PoolMessage.Call(7, big));
        List<PoolMessage> out = roundTrip(buffer, messages);
        assertEquals(1001, out.size());
        assertEquals(999, ((PoolMessage.Cancel) out.get(999)).taskId());
        assertArrayEquals(big, ((PoolMessage.Call) out.get(1000)).callable());
        buffer.reset();
        assertEquals(0, buffer.size());
        assertEquals(8192, buffer.array().length);
        PoolMessage.Undefine again = (PoolMessage.Undefine) roundTrip(buffer, List.of(new PoolMessage.Undefine(5))).get(0);
        assertEquals(5, again.fnId());
    }

    @Test
    void aMessageShorterThanItsFieldsOrWithABadByteCountIsRejected() {
        ByteSink buffer = new ByteSink(8192, 1 << 20);
        buffer.putByte(7);
        new PoolMessage.Result(1, new byte[] {1, 2, 3}, 2).writeFields(buffer);
        byte[] bytes = buffer.array();
        assertThrows(StreamCorruptedException.class, () -> PoolMessage.decode(bytes, 0, buffer.size() - 1));
        assertThrows(StreamCorruptedException.class, () -> PoolMessage.decode(bytes, 0, 10));
        bytes[17 + 3] = 100;
        assertThrows(StreamCorruptedException.class, () -> PoolMessage.decode(bytes, 0, buffer.size()));
        assertThrows(StreamCorruptedException.class, () -> PoolMessage.decode(new byte[] {99}, 0, 1));
    }
}
