package org.multiprocessing4j.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.memory.MappedBytes;

/**
 * The codec's encodings written into and read from a buffer (what a queue does in shared memory): the same bytes as
 * {@link JdkCodec#encode}, whatever the order of the buffer under the view and the alignment; and every kind of value through encode
 * and both array forms of decode (what the pool and the manager do), with every malformed encoding refused.
 */
class JdkCodecBufferTest {
    private static final JdkCodec CODEC = JdkCodec.INSTANCE;
    private static final ByteOrder[] ORDERS = {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN};

    private static List<Object> directValues() {
        List<Object> values = new ArrayList<>(List.of(0, -1, 1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x1234_5678,
                0L, -2L, Long.MIN_VALUE, 0x0102_0304_0506_0708L, 0.0, -1.5, Double.NaN, Double.MIN_VALUE, true,
                false));
        values.add(new byte[0]);
        values.add(new byte[] {1, 2, 3, (byte) 0xff});
        return values;
    }

    private static void assertValueEquals(Object expected, Object got) {
        if (expected instanceof byte[]) {
            assertArrayEquals((byte[]) expected, (byte[]) got);
        } else {
            assertEquals(expected, got);
        }
    }

    @Test
    void encodeIntoWritesTheBytesOfEncodeInEitherByteOrderAtAnyOffset() throws IOException {
        for (ByteOrder order : ORDERS) {
            for (int at = 0; at < 9; at++) {
                for (Object v : directValues()) {
                    byte[] expected = CODEC.encode(v);
                    assertEquals(expected.length, BufferCodec.directSize(v), "directSize of " + v);
                    ByteBuffer buf = ByteBuffer.allocateDirect(64).order(order);
                    BufferCodec.encodeInto(v, new MappedBytes(buf), at);
                    byte[] got = new byte[expected.length];
                    buf.get(at, got);
                    assertArrayEquals(expected, got, "value=" + v + " order=" + order + " at=" + at);
                    assertEquals(0, buf.get(at + expected.length), "wrote past the encoding: value=" + v);
                }
            }
        }
    }

    @Test
    void decodeQuicklyReadsWhatEncodeWroteInEitherByteOrder() throws IOException {
        for (ByteOrder order : ORDERS) {
            for (int at = 0; at < 9; at++) {
                for (Object v : directValues()) {
                    byte[] bytes = CODEC.encode(v);
                    ByteBuffer buf = ByteBuffer.allocateDirect(64).order(order);
                    buf.put(at, bytes);
                    assertValueEquals(v, BufferCodec.decodeQuickly(new MappedBytes(buf), at, bytes.length));
                    assertValueEquals(v, BufferCodec.decode(new MappedBytes(buf), at, bytes.length, getClass().getClassLoader()));
                }
            }
        }
    }

    @Test
    void decodeQuicklyLeavesStringsAndObjectStreamsToTheCaller() throws IOException {
        for (Object v : List.of(new ArrayList<>(List.of(1, "two")), "héllo", "")) {
            byte[] bytes = CODEC.encode(v);
            ByteBuffer buf = ByteBuffer.allocateDirect(bytes.length + 8).order(ByteOrder.nativeOrder());
            buf.put(3, bytes);
            assertSame(BufferCodec.NOT_QUICK, BufferCodec.decodeQuickly(new MappedBytes(buf), 3, bytes.length), "value=" + v);
            assertEquals(v, BufferCodec.decode(new MappedBytes(buf), 3, bytes.length, getClass().getClassLoader()));
        }
    }

    @Test
    void decodeQuicklyRefusesALengthThatDoesNotFitTheTag() throws IOException {
        byte[] bytes = CODEC.encode(42);
        ByteBuffer buf = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
        buf.put(0, bytes);
        assertThrows(IOException.class, () -> BufferCodec.decodeQuickly(new MappedBytes(buf), 0, bytes.length - 1));
        assertThrows(IOException.class, () -> BufferCodec.decodeQuickly(new MappedBytes(buf), 0, 0));
    }

    @Test
    void everyKindRoundTripsWholeAndInPartOfAnArray() throws Exception {
        for (Object v : new Object[] {null, new byte[0], new byte[] {1, -2, 3}, "", "héllo", 0, -7, Long.MIN_VALUE,
                -0.0, Double.NaN, true, false, List.of("a", 1)}) {
            byte[] encoded = CODEC.encode(v);
            assertValueEquals(v, CODEC.decode(encoded, JdkCodecBufferTest.class.getClassLoader()));
            byte[] framed = new byte[encoded.length + 5];
            Arrays.fill(framed, (byte) 0x5a);
            System.arraycopy(encoded, 0, framed, 3, encoded.length);
            assertValueEquals(v, CODEC.decode(framed, 3, encoded.length, JdkCodecBufferTest.class.getClassLoader()));
            byte[] into = new byte[encoded.length + 4];
            int end = CODEC.encodeInto(v, into, 2);
            if (end >= 0) {
                assertEquals(2 + encoded.length, end, String.valueOf(v));
                assertArrayEquals(encoded, Arrays.copyOfRange(into, 2, end));
            }
        }
    }

    @Test
    void malformedEncodingsAreRefusedWithAnIoException() throws Exception {
        assertThrows(IOException.class, () -> CODEC.decode(new byte[0], JdkCodecBufferTest.class.getClassLoader()));
        assertThrows(IOException.class, () -> CODEC.decode(new byte[] {9, 9}, 1, 0, JdkCodecBufferTest.class.getClassLoader()));
        IOException unknown = assertThrows(IOException.class, () -> CODEC.decode(new byte[] {99, 1}, JdkCodecBufferTest.class.getClassLoader()));
        assertTrue(unknown.getMessage().contains("unknown codec tag: tag=99 length=2"), unknown.getMessage());
        for (Object v : new Object[] {5, 5L, 5.0, true}) {
            byte[] encoded = CODEC.encode(v);
            byte[] shorter = Arrays.copyOf(encoded, encoded.length - 1);
            byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
            assertThrows(IOException.class, () -> CODEC.decode(shorter, JdkCodecBufferTest.class.getClassLoader()), String.valueOf(v));
            assertThrows(IOException.class, () -> CODEC.decode(longer, JdkCodecBufferTest.class.getClassLoader()), String.valueOf(v));
            assertThrows(IOException.class, () -> CODEC.decode(longer, 0, shorter.length, JdkCodecBufferTest.class.getClassLoader()), String.valueOf(v));
        }
        byte[] object = CODEC.encode(List.of(1, 2, 3));
        assertThrows(IOException.class, () -> CODEC.decode(Arrays.copyOf(object, object.length / 2), JdkCodecBufferTest.class.getClassLoader()));
    }
}
