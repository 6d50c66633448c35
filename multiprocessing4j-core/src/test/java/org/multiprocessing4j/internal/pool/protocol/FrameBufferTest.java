package org.multiprocessing4j.internal.pool.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Messages written into a FrameBuffer, as a channel queues them, decode to the same messages. */
class FrameBufferTest {

    /** Writes messages as PoolChannel.send does and decodes them back, frame by frame. */
    private static List<PoolMessage> roundTrip(FrameBuffer buffer, List<PoolMessage> messages) throws IOException {
        for (PoolMessage m : messages) {
            int start = buffer.size();
            buffer.putInt(0);
            buffer.putByte(m.kind());
            m.writeFields(buffer);
            buffer.putIntAt(start, buffer.size() - start - 4);
        }
        ByteBuffer in = ByteBuffer.wrap(buffer.array(), 0, buffer.size());
        List<PoolMessage> out = new ArrayList<>();
        while (in.hasRemaining()) {
            int length = in.getInt();
            out.add(PoolMessage.decode(in.slice(in.position(), length)));
            in.position(in.position() + length);
        }
        return out;
    }

    @Test
    void everyFieldSurvivesIncludingSignsAndExtremes() throws IOException {
        byte[] value = {1, -2, 127, -128, 0};
        List<PoolMessage> out = roundTrip(new FrameBuffer(), List.of(
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
    void growsPastItsFirstArrayAndStartsSmallAgainAfterABigBatch() throws IOException {
        FrameBuffer buffer = new FrameBuffer();
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
}
