package org.multiprocessing4j.internal.manager;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StreamCorruptedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.codec.ByteSink;
import org.multiprocessing4j.internal.codec.JdkCodec;

/** The frames written into a reused buffer and read in place. */
class RequestCodecTest {
    private static final ClassLoader LOADER = RequestCodecTest.class.getClassLoader();

    private static Object[] values() {
        return new Object[] {null, "k1", "", "grüße ✓", 42, -1, Integer.MIN_VALUE, 7L, Long.MAX_VALUE, 2.5, true,
            false, new byte[] {1, 2, 3}, new byte[0], new ArrayList<>(List.of(1, "two")), "x".repeat(5000)};
    }

    private static void assertSameValues(Object[] expected, Object[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] instanceof byte[] b) {
                assertArrayEquals(b, (byte[]) actual[i], "value " + i);
            } else {
                assertEquals(expected[i], actual[i], "value " + i);
            }
        }
    }

    @Test
    void aCallWrittenIntoAReusedBufferDecodesToItsArguments() throws Exception {
        ByteSink out = new ByteSink(16, 64 * 1024);
        for (int round = 0; round < 2; round++) { // the second round reuses the grown buffer
            Object[] args = values();
            RequestCodec.writeCall(out.reset(), 7, 300, 99L, args);
            byte[] frame = Arrays.copyOf(out.array(), out.size() + 50); // a receiving array is longer
            Request.Call c = assertInstanceOf(Request.Call.class, RequestCodec.decode(frame, out.size(), LOADER));
            assertEquals(7, c.object());
            assertEquals(300, c.method());
            assertEquals(99L, c.thread());
            assertSameValues(args, c.args());
            assertArrayEquals(out.toByteArray(), RequestCodec.encode(new Request.Call(7, 300, 99L, args)));
        }
    }

    @Test
    void everyOtherRequestRoundTrips() throws Exception {
        Request.Call call = new Request.Call(1, 2, 3, new Object[] {"a"});
        List<Request> requests = List.of(new Request.Create("dict", new Object[] {5}), new Request.Named("q", "n"),
                new Request.Adopt(4), new Request.Release(4, 2), new Request.Shutdown(),
                new Request.Batch(List.of(call, new Request.Call(1, 5, 3, null))));
        for (Request r : requests) {
            Request back = RequestCodec.decode(RequestCodec.encode(r), LOADER);
            assertEquals(r.getClass(), back.getClass());
            if (r instanceof Request.Batch b) {
                List<Request.Call> calls = ((Request.Batch) back).calls();
                assertEquals(2, calls.size());
                assertEquals("a", calls.get(0).args()[0]);
                assertEquals(0, calls.get(1).args().length);
            } else if (!(r instanceof Request.Create)) {
                assertEquals(r, back);
            }
        }
    }

    @Test
    void everyTruncationOfAFrameIsRefusedAsCorrupt() throws Exception {
        byte[] frame = RequestCodec.encode(new Request.Call(7, 3, 1L, new Object[] {"key", 12345}));
        for (int n = 0; n < frame.length; n++) {
            int length = n;
            assertThrows(StreamCorruptedException.class, () -> RequestCodec.decode(frame, length, LOADER),
                    "length=" + n);
        }
    }

    @Test
    void repliesRoundTripThroughAReusedBuffer() throws Exception {
        ByteSink out = new ByteSink(8, 64 * 1024);
        for (Object v : values()) {
            RequestCodec.write(new Reply.Value(v), out);
            Reply back = RequestCodec.decodeReply(Arrays.copyOf(out.array(), out.size() + 3), out.size(), LOADER);
            assertSameValues(new Object[] {v}, new Object[] {((Reply.Value) back).value()});
        }
        RequestCodec.write(new Reply.Values(Arrays.asList(values())), out);
        Reply.Values vs = (Reply.Values) RequestCodec.decodeReply(out.toByteArray(), LOADER);
        assertSameValues(values(), vs.values().toArray());
        RequestCodec.write(new Reply.Failure(new IllegalStateException("boom")), out);
        Reply.Failure f = (Reply.Failure) RequestCodec.decodeReply(out.toByteArray(), LOADER);
        assertEquals("boom", f.failure().getMessage());
    }

    @Test
    void theCodecsInPlaceFormsMatchItsArrayForms() throws Exception {
        JdkCodec codec = JdkCodec.INSTANCE;
        for (Object v : values()) {
            byte[] whole = codec.encode(v);
            byte[] dst = new byte[whole.length + 10];
            int end = codec.encodeInto(v, dst, 3);
            if (end >= 0) {
                assertArrayEquals(whole, Arrays.copyOfRange(dst, 3, end), String.valueOf(v));
                assertEquals(-1, codec.encodeInto(v, new byte[whole.length - 1], 0), "does not fit");
            } else {
                assertEquals(true, JdkCodec.isObjectStream(whole, 0), "only object streams have no fast path");
            }
            byte[] padded = new byte[whole.length + 4];
            System.arraycopy(whole, 0, padded, 2, whole.length);
            assertSameValues(new Object[] {codec.decode(whole, LOADER)},
                    new Object[] {codec.decode(padded, 2, whole.length, LOADER)});
        }
    }
}
