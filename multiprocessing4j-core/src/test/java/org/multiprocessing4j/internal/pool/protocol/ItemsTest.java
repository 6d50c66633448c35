package org.multiprocessing4j.internal.pool.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A chunk's items decode to equal, mutable lists, whichever encoding their types and count choose. */
class ItemsTest {
    private static final ClassLoader LOADER = ItemsTest.class.getClassLoader();

    private static List<Object> roundTrip(List<?> items) throws IOException {
        List<Object> out = Items.decode(Items.encode(items), LOADER);
        assertEquals(items, out);
        out.add("still mutable");
        return out;
    }

    @Test
    void intsAroundTheSmallAndTheBufferedEncoding() throws IOException {
        roundTrip(List.of(0));
        roundTrip(List.of(Integer.MIN_VALUE, -1, 255, -256, Integer.MAX_VALUE, 65_536, 7, 8));
        roundTrip(Arrays.asList(1, 2, 3, 4, 5, 6, 7, 8, -9));
        List<Integer> many = new ArrayList<>();
        for (int i = -5000; i < 5000; i++) {
            many.add(i * 40_503);
        }
        roundTrip(many);
        roundTrip(new LinkedList<>(List.of(3, -4)));
        roundTrip(many.subList(10, 11));
    }

    @Test
    void otherTypesNullsAndMixesTravelAsTheyAre() throws IOException {
        roundTrip(List.of(Long.MIN_VALUE, 2L));
        roundTrip(List.of(-0.0, Double.NaN, 1e300));
        roundTrip(Arrays.asList(1, null, 3));
        roundTrip(List.of(1, 2L, "three"));
        roundTrip(List.of());
    }

    @Test
    void aSmallIntListWhoseCountDisagreesWithItsLengthIsRejected() throws IOException {
        byte[] bytes = Items.encode(List.of(1, 2));
        bytes[4] = 3;
        assertThrows(StreamCorruptedException.class, () -> Items.decode(bytes, LOADER));
        byte[] cut = Arrays.copyOf(Items.encode(List.of(1, 2)), 9);
        assertThrows(StreamCorruptedException.class, () -> Items.decode(cut, LOADER));
    }

    @Test
    void checkNamesTheTagAndTheReadsTakeSmallAndBigArraysOutInPlace() throws IOException {
        for (int n : new int[] {1, 8, 9, 1000}) {
            List<Integer> ints = new ArrayList<>();
            List<Long> longs = new ArrayList<>();
            List<Double> doubles = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ints.add(i * -100_003);
                longs.add(i * 3_000_000_007L);
                doubles.add(i / 7.0 - 5);
            }
            byte[] intBytes = Items.encode(ints);
            assertEquals(Items.INTS, Items.check(intBytes, n));
            int[] intsOut = new int[n + 2];
            Items.readInts(intBytes, intsOut, 1);
            for (int i = 0; i < n; i++) {
                assertEquals(ints.get(i), intsOut[i + 1]);
            }
            assertEquals(0, intsOut[0]);
            assertEquals(0, intsOut[n + 1]);
            byte[] longBytes = Items.encode(longs);
            assertEquals(Items.LONGS, Items.check(longBytes, n));
            long[] longsOut = new long[n];
            Items.readLongs(longBytes, longsOut, 0);
            byte[] doubleBytes = Items.encode(doubles);
            assertEquals(Items.DOUBLES, Items.check(doubleBytes, n));
            long[] bitsOut = new long[n];
            Items.readLongs(doubleBytes, bitsOut, 0);
            for (int i = 0; i < n; i++) {
                assertEquals(longs.get(i), longsOut[i]);
                assertEquals(doubles.get(i), Double.longBitsToDouble(bitsOut[i]));
            }
            assertThrows(StreamCorruptedException.class, () -> Items.check(intBytes, n + 1));
            assertThrows(StreamCorruptedException.class, () -> Items.check(Arrays.copyOf(longBytes, 5 + 8 * n - 1), n));
        }
        byte[] objects = Items.encode(Arrays.asList("a", null, 3));
        assertEquals(Items.OBJECTS, Items.check(objects, 3));
        assertEquals(Arrays.asList("a", null, 3), Arrays.asList(Items.readObjects(objects, LOADER, 3)));
        byte[] unknown = Items.encode(List.of(1));
        unknown[0] = 99;
        assertThrows(StreamCorruptedException.class, () -> Items.check(unknown, 1));
    }
}
