package org.multiprocessing4j.internal.pool;

import java.io.IOException;
import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Objects;
import java.util.RandomAccess;
import org.multiprocessing4j.internal.pool.protocol.Items;

/**
 * The list a map returns: every chunk's results decoded once, straight into their place. Results that arrived as a
 * primitive array (a chunk whose results are all {@code Integer}, all {@code Long} or all {@code Double}) are kept
 * in a primitive array of the whole map and boxed when read; any others in an {@code Object[]}. A mutable list
 * with {@code ArrayList}'s operations: the first change boxes every element into an {@code ArrayList} that serves
 * the list from then on. Serialized as an {@code ArrayList}. Not thread-safe once returned, as {@code ArrayList}.
 *
 * <pre>
 * Overview.
 * Why primitive: a map of a million numbers in the caller's JVM would otherwise hold a million boxes, all reachable
 * until the map returns. A young collection that falls inside the map copies every one of them (measured: 15-50 ms
 * pauses in a map of 30-60 ms, the parent on JDK 17's G1 with its default heap), and the next promotes them. An
 * int[] is one object (a humongous one for a big map: never copied). A box made by get() is short-lived: a caller
 * that unboxes it at once lets the JIT drop it.
 * Filling: chunk k holds the items [k * chunk, min(size, (k + 1) * chunk)); each reader thread decodes the chunks
 * of its worker, so two threads may fill disjoint ranges at once: the arrays are made under this object's lock by
 * the first chunk that needs one, and kinds[k] is written by chunk k's thread alone. The map's lock and its future
 * publish everything to the caller.
 * Identity: get(i) of a primitive element returns a new box for a value outside Integer's cache, as a list that
 * boxes on read does (compare with equals, as for any Integer).
 * </pre>
 */
final class MapResults<R> extends AbstractList<R> implements RandomAccess, Serializable {
    private static final long serialVersionUID = 1L;

    private final int size;
    private final int chunk;
    /** Per chunk, the Items tag of the array that holds its results (0 until they arrive). */
    private final byte[] kinds;
    private int[] ints;
    /** The Longs, and the raw bits of the Doubles. */
    private long[] longs;
    private Object[] objects;
    /** After the first change: every element, boxed; the arrays above are dropped. */
    private ArrayList<R> flat;

    /**
     * @param size how many results the map has
     * @param chunk the map's chunk size (its last chunk may be shorter)
     */
    MapResults(int size, int chunk) {
        if (size < 0 || chunk < 1) {
            throw new IllegalArgumentException("map results of a bad shape: size=" + size + " chunk=" + chunk);
        }
        this.size = size;
        this.chunk = chunk;
        this.kinds = new byte[size == 0 ? 0 : (size - 1) / chunk + 1];
    }

    /**
     * Decodes one chunk's results into their place; each chunk once, before the list is handed out.
     *
     * @param index the chunk's index
     * @param bytes its results, encoded by {@link Items}
     * @param loader the class loader for the results' classes
     * @throws IOException if the bytes are corrupt, hold another count of results, or a class is missing
     */
    void fill(int index, byte[] bytes, ClassLoader loader) throws IOException {
        Objects.checkIndex(index, kinds.length);
        int from = index * chunk;
        int count = Math.min(size - from, chunk);
        byte tag = Items.check(bytes, count);
        switch (tag) {
            case Items.INTS:
                Items.readInts(bytes, ints(), from);
                break;
            case Items.LONGS:
            case Items.DOUBLES:
                Items.readLongs(bytes, longs(), from);
                break;
            default:
                System.arraycopy(Items.readObjects(bytes, loader, count), 0, objects(), from, count);
                break;
        }
        kinds[index] = tag;
    }

    private synchronized int[] ints() {
        if (ints == null) {
            ints = new int[size];
        }
        return ints;
    }

    private synchronized long[] longs() {
        if (longs == null) {
            longs = new long[size];
        }
        return longs;
    }

    private synchronized Object[] objects() {
        if (objects == null) {
            objects = new Object[size];
        }
        return objects;
    }

    @Override
    @SuppressWarnings("unchecked")
    public R get(int index) {
        if (flat != null) {
            return flat.get(index);
        }
        Objects.checkIndex(index, size);
        switch (kinds[index / chunk]) {
            case Items.INTS:
                return (R) (Object) ints[index];
            case Items.LONGS:
                return (R) (Object) longs[index];
            case Items.DOUBLES:
                return (R) (Object) Double.longBitsToDouble(longs[index]);
            default:
                return (R) objects[index];
        }
    }

    @Override
    public int size() {
        return flat != null ? flat.size() : size;
    }

    /** @return the list as an ArrayList of boxes, made on the first change */
    private ArrayList<R> flat() {
        if (flat == null) {
            ArrayList<R> all = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                all.add(get(i));
            }
            flat = all;
            ints = null;
            longs = null;
            objects = null;
        }
        return flat;
    }

    @Override
    public R set(int index, R element) {
        Objects.checkIndex(index, size());
        return flat().set(index, element);
    }

    @Override
    public void add(int index, R element) {
        ArrayList<R> all = flat();
        all.add(index, element);
        modCount++;
    }

    @Override
    public R remove(int index) {
        ArrayList<R> all = flat();
        R old = all.remove(index);
        modCount++;
        return old;
    }

    @Override
    protected void removeRange(int fromIndex, int toIndex) {
        if (fromIndex > toIndex || fromIndex < 0 || toIndex > size()) {
            throw new IndexOutOfBoundsException("range out of the list: from=" + fromIndex + " to=" + toIndex
                    + " size=" + size());
        }
        ArrayList<R> all = flat();
        all.subList(fromIndex, toIndex).clear();
        modCount++;
    }

    @Override
    public boolean addAll(int index, Collection<? extends R> c) {
        ArrayList<R> all = flat();
        boolean changed = all.addAll(index, c);
        modCount++;
        return changed;
    }

    @Override
    public Object[] toArray() {
        Object[] out = new Object[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(i);
        }
        return out;
    }

    /** Serialized as an ArrayList of the same elements. */
    private Object writeReplace() {
        return new ArrayList<>(this);
    }
}
