package org.multiprocessing4j.internal.pool.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.pool.protocol.Items;

/** A chunk of ints run in place, and what happens when a result is not an Integer or a call throws. */
class IntChunkTest {
    private static final ClassLoader LOADER = IntChunkTest.class.getClassLoader();

    private static List<Integer> ints(int n) {
        return IntStream.range(0, n).map(i -> i * 37 - 500).boxed().collect(Collectors.toList());
    }

    @Test
    void integerResultsAreWrittenOverTheirItems() throws Exception {
        for (int n : new int[] {1, 8, 9, 1000}) {
            byte[] bytes = Items.encode(ints(n));
            int[] failed = {7};
            byte[] out = IntChunk.apply(x -> (Integer) x * 3, bytes, failed);
            assertSame(bytes, out);
            assertEquals(-1, failed[0]);
            assertEquals(ints(n).stream().map(x -> x * 3).collect(Collectors.toList()), Items.decode(out, LOADER));
        }
    }

    @Test
    void aResultOfAnotherKindTurnsTheChunkIntoTheGeneralFormKeepingEveryResult() throws Exception {
        for (int n : new int[] {5, 100}) {
            for (int at : new int[] {0, 3, n - 1}) {
                int bad = ints(n).get(at);
                List<Object> expected = new ArrayList<>();
                for (int x : ints(n)) {
                    expected.add(x == bad ? "s" + x : x + 1);
                }
                byte[] out = IntChunk.apply(x -> (Integer) x == bad ? "s" + x : (Object) ((Integer) x + 1),
                        Items.encode(ints(n)), new int[1]);
                assertEquals(expected, Items.decode(out, LOADER));
            }
            List<Object> nulls = Arrays.asList(new Object[n]);
            assertEquals(nulls, Items.decode(IntChunk.apply(x -> null, Items.encode(ints(n)), new int[1]), LOADER));
            List<Object> longs = ints(n).stream().map(x -> (long) x).collect(Collectors.toList());
            assertEquals(longs, Items.decode(IntChunk.apply(x -> (long) (Integer) x, Items.encode(ints(n)),
                    new int[1]), LOADER));
        }
    }

    @Test
    void aCallThatThrowsNamesItsItemBeforeAndAfterTheGeneralForm() {
        for (int n : new int[] {6, 100}) {
            int[] failed = new int[1];
            int bad = ints(n).get(4);
            assertThrows(ArithmeticException.class, () -> IntChunk.apply(x -> 1 / ((Integer) x - bad),
                    Items.encode(ints(n)), failed));
            assertEquals(4, failed[0]);
            int[] late = new int[1];
            assertThrows(ArithmeticException.class, () -> IntChunk.apply(
                    x -> (Integer) x == ints(n).get(1) ? "s" : (Object) (1 / ((Integer) x - bad)),
                    Items.encode(ints(n)), late));
            assertEquals(4, late[0]);
        }
    }

    @Test
    void corruptBytesAreRefused() throws IOException {
        byte[] bytes = Items.encode(ints(3));
        assertThrows(IOException.class, () -> IntChunk.apply(x -> x, Arrays.copyOf(bytes, 9), new int[1]));
        int[] none = {5};
        assertThrows(IOException.class, () -> IntChunk.apply(x -> x, new byte[2], none));
        assertEquals(-1, none[0]);
    }
}
