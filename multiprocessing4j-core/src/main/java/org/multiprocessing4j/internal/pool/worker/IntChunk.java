package org.multiprocessing4j.internal.pool.worker;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.multiprocessing4j.function.SerializableFunction;
import org.multiprocessing4j.internal.pool.protocol.Items;
import org.multiprocessing4j.internal.wire.Frames;

/**
 * Applies a map's function to a chunk whose items came as ints ({@link Items#INTS}), reading each item from the
 * chunk's bytes and writing each result that is an {@code Integer} over it: no list of items, no list of results,
 * and each item's box lives only for its call (the JIT drops it where the function is inlined). The first result
 * that is not an {@code Integer} turns the rest of the chunk into the general form: an array of every result, sent
 * as {@link Items#encode} makes it.
 */
final class IntChunk {
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    /** Up to this many items are read and written byte by byte (a VarHandle call is a chain of calls interpreted). */
    private static final int SMALL = 8;

    private IntChunk() {
    }

    /**
     * Runs {@code f} over the chunk's items, in order.
     *
     * @param f the function
     * @param items the chunk's items, {@link Items#INTS}; overwritten with the results (the message owns them)
     * @param failedAt where the index of the item whose call threw is stored (-1 if none threw)
     * @return the results, encoded as {@link Items#encode} would
     * @throws Exception what {@code f} threw (its item's index in {@code failedAt[0]}), or an IOException if the
     *     bytes are corrupt
     */
    static byte[] apply(SerializableFunction<Object, Object> f, byte[] items, int[] failedAt) throws Exception {
        failedAt[0] = -1;
        if (items.length < 5) {
            throw new IOException("item list too short: length=" + items.length);
        }
        int n = Frames.getInt(items, 1);
        Items.check(items, n);
        // two methods, so that the JIT's profile of the big chunks' loop (a map's default chunks) does not treat
        // the small ones (chunk size 1) as a path never taken, and the other way round
        return n <= SMALL ? small(f, items, n, failedAt) : big(f, items, n, failedAt);
    }

    private static byte[] small(SerializableFunction<Object, Object> f, byte[] items, int n, int[] failedAt)
            throws Exception {
        int i = 0;
        try {
            for (; i < n; i++) {
                Object r = f.apply(Frames.getInt(items, 5 + 4 * i));
                if (!(r instanceof Integer)) {
                    return general(f, items, n, i, r, failedAt);
                }
                Frames.putInt(items, 5 + 4 * i, (Integer) r);
            }
        } catch (Throwable t) {
            if (failedAt[0] < 0) {
                failedAt[0] = i;
            }
            throw t;
        }
        return items;
    }

    private static byte[] big(SerializableFunction<Object, Object> f, byte[] items, int n, int[] failedAt)
            throws Exception {
        int i = 0;
        try {
            for (; i < n; i++) {
                Object r = f.apply((int) INT_BE.get(items, 5 + 4 * i));
                if (!(r instanceof Integer)) {
                    // returning from here, not after the loop: once the JIT has seen no other result, this
                    // branch is not compiled, and each result's box does not escape the loop
                    return general(f, items, n, i, r, failedAt);
                }
                INT_BE.set(items, 5 + 4 * i, (int) (Integer) r);
            }
        } catch (Throwable t) {
            if (failedAt[0] < 0) {
                failedAt[0] = i;
            }
            throw t;
        }
        return items;
    }

    /**
     * Goes on from item {@code at}, whose result {@code first} is not an Integer: the results before it were
     * written over their items.
     */
    private static byte[] general(SerializableFunction<Object, Object> f, byte[] items, int n, int at, Object first,
                                  int[] failedAt) throws Exception {
        Object[] results = new Object[n];
        for (int j = 0; j < at; j++) {
            results[j] = Frames.getInt(items, 5 + 4 * j);
        }
        results[at] = first;
        int j = at + 1;
        try {
            for (; j < n; j++) {
                results[j] = f.apply(Frames.getInt(items, 5 + 4 * j));
            }
        } catch (Throwable t) {
            failedAt[0] = j;
            throw t;
        }
        return Items.encode(Arrays.asList(results));
    }
}
