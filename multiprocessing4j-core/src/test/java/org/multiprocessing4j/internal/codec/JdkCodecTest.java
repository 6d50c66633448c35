package org.multiprocessing4j.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every kind of value through encode and both array forms of decode, and every malformed encoding refused. */
class JdkCodecTest {
    private static final JdkCodec CODEC = JdkCodec.INSTANCE;
    private static final ClassLoader LOADER = JdkCodecTest.class.getClassLoader();

    private static void assertSameValue(Object expected, Object actual) {
        if (expected instanceof byte[]) {
            assertArrayEquals((byte[]) expected, (byte[]) actual);
        } else {
            assertEquals(expected, actual);
        }
    }

    @Test
    void everyKindRoundTripsWholeAndInPartOfAnArray() throws Exception {
        for (Object v : new Object[] {null, new byte[0], new byte[] {1, -2, 3}, "", "héllo", 0, -7, Long.MIN_VALUE,
                -0.0, Double.NaN, true, false, List.of("a", 1)}) {
            byte[] encoded = CODEC.encode(v);
            assertSameValue(v, CODEC.decode(encoded, LOADER));
            byte[] framed = new byte[encoded.length + 5];
            Arrays.fill(framed, (byte) 0x5a);
            System.arraycopy(encoded, 0, framed, 3, encoded.length);
            assertSameValue(v, CODEC.decode(framed, 3, encoded.length, LOADER));
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
        assertThrows(IOException.class, () -> CODEC.decode(new byte[0], LOADER));
        assertThrows(IOException.class, () -> CODEC.decode(new byte[] {9, 9}, 1, 0, LOADER));
        IOException unknown = assertThrows(IOException.class, () -> CODEC.decode(new byte[] {99, 1}, LOADER));
        assertTrue(unknown.getMessage().contains("unknown codec tag: tag=99 length=2"), unknown.getMessage());
        for (Object v : new Object[] {5, 5L, 5.0, true}) {
            byte[] encoded = CODEC.encode(v);
            byte[] shorter = Arrays.copyOf(encoded, encoded.length - 1);
            byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
            assertThrows(IOException.class, () -> CODEC.decode(shorter, LOADER), String.valueOf(v));
            assertThrows(IOException.class, () -> CODEC.decode(longer, LOADER), String.valueOf(v));
            assertThrows(IOException.class, () -> CODEC.decode(longer, 0, shorter.length, LOADER), String.valueOf(v));
        }
        byte[] object = CODEC.encode(List.of(1, 2, 3));
        assertThrows(IOException.class, () -> CODEC.decode(Arrays.copyOf(object, object.length / 2), LOADER));
    }
}
