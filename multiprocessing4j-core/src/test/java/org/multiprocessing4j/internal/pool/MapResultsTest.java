package org.multiprocessing4j.internal.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.StreamCorruptedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.pool.protocol.Items;

/** The list a map returns, filled chunk by chunk as the results of each kind arrive. */
class MapResultsTest {
    private static final ClassLoader LOADER = MapResultsTest.class.getClassLoader();

    /** Chunks of 3: ints, longs, doubles, objects (with a null), and a last short chunk of ints. */
    private static final List<List<?>> CHUNKS = List.of(List.of(1, -2, 300_000), List.of(4L, Long.MIN_VALUE, 6L),
            List.of(0.5, -0.0, Double.NaN), Arrays.asList("x", null, 9), List.of(Integer.MAX_VALUE));

    private static MapResults<Object> filled(boolean reversed) throws IOException {
        MapResults<Object> results = new MapResults<>(13, 3);
        for (int k = 0; k < CHUNKS.size(); k++) {
            int index = reversed ? CHUNKS.size() - 1 - k : k;
            results.fill(index, Items.encode(CHUNKS.get(index)), LOADER);
        }
        return results;
    }

    private static List<Object> expected() {
        List<Object> all = new ArrayList<>();
        CHUNKS.forEach(all::addAll);
        return all;
    }

    @Test
    void holdsEveryKindOfChunkInOrderWhateverOrderTheChunksArriveIn() throws IOException {
        assertEquals(expected(), filled(false));
        assertEquals(expected(), filled(true));
        assertEquals(expected().hashCode(), filled(false).hashCode());
        assertEquals(expected(), new ArrayList<>(filled(false)));
        assertEquals(expected(), Arrays.asList(filled(false).toArray()));
        assertInstanceOf(Long.class, filled(false).get(3));
        assertInstanceOf(Double.class, filled(false).get(6));
        assertThrows(IndexOutOfBoundsException.class, () -> filled(false).get(13));
        assertThrows(IndexOutOfBoundsException.class, () -> filled(false).get(-1));
    }

    @Test
    void isAMutableListLikeAnArrayList() throws IOException {
        MapResults<Object> results = filled(false);
        List<Object> model = expected();
        Iterator<Object> stale = results.iterator();
        results.set(0, "first");
        model.set(0, "first");
        assertEquals(model, results);
        results.add("end");
        model.add("end");
        results.add(2, 7);
        model.add(2, 7);
        results.remove(5);
        model.remove(5);
        results.subList(1, 3).clear();
        model.subList(1, 3).clear();
        results.addAll(List.of(1, 2));
        model.addAll(List.of(1, 2));
        assertEquals(model, results);
        assertEquals(model.size(), results.size());
        assertThrows(ConcurrentModificationException.class, stale::next);
        results.clear();
        assertEquals(List.of(), results);
    }

    @Test
    void serializesAsAnArrayListOfTheSameElements() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(filled(false));
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            Object back = in.readObject();
            assertInstanceOf(ArrayList.class, back);
            assertEquals(expected(), back);
        }
    }

    @Test
    void refusesAChunkOfTheWrongCountOrIndexAndAnEmptyMapIsEmpty() throws IOException {
        MapResults<Object> results = new MapResults<>(5, 3);
        assertThrows(StreamCorruptedException.class, () -> results.fill(0, Items.encode(List.of(1, 2)), LOADER));
        assertThrows(StreamCorruptedException.class, () -> results.fill(1, Items.encode(List.of(1, 2, 3)), LOADER));
        assertThrows(IndexOutOfBoundsException.class, () -> results.fill(2, Items.encode(List.of(1)), LOADER));
        assertThrows(IllegalArgumentException.class, () -> new MapResults<>(5, 0));
        assertEquals(List.of(), new MapResults<>(0, 1));
    }
}
