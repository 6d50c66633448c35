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
    void decodingIntoAnArrayPutsEveryKindInPlaceAndRefusesAnotherCount() throws IOException {
        List<Integer> ints = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ints.add(i * -7);
        }
        List<List<?>> lists = List.of(List.of(5), ints, List.of(Long.MAX_VALUE, -3L), List.of(0.5, -0.0),
                Arrays.asList("a", null, 3));
        for (List<?> items : lists) {
            Object[] out = new Object[items.size() + 3];
            Items.decodeInto(Items.encode(items), LOADER, out, 2, items.size());
            assertEquals(null, out[0]);
            assertEquals(null, out[1]);
            assertEquals(items, Arrays.asList(out).subList(2, 2 + items.size()));
            assertEquals(null, out[out.length - 1]);
            assertThrows(StreamCorruptedException.class,
                    () -> Items.decodeInto(Items.encode(items), LOADER, out, 0, items.size() + 1));
        }
    }
}
