package org.multiprocessing4j.internal.child;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One part of what a JVM started ahead of time rehearses while it waits for its process ({@link Rehearsals}): a
 * primitive's per-item paths, run between threads of this JVM through real shared memory, so that its compiled
 * code is ready when the process arrives.
 */
public interface Rehearsal {
    /** A short string, a fast-path item of the codecs. */
    String WORD = "rehearsal";
    /** A 1 KiB array, a fast-path item of the codecs. */
    byte[] KIB = new byte[1024];

    /**
     * Runs the part until it is done or {@code stopped} says so (checked at least every few dozen items), and
     * leaves nothing behind: its threads ended, its segments deleted.
     *
     * @param stopped whether the process has arrived
     * @return the names of the segments it made (all deleted by now)
     * @throws Exception if a path failed; the caller only reports it
     */
    List<String> rehearse(BooleanSupplier stopped) throws Exception;

    /**
     * The items that the parts send, in a mix of the codecs' fast paths that users send most (small and large
     * ints, longs, doubles, strings, 1 KiB arrays), so that the compiled code is not specialized to one type.
     *
     * @param i the item's number
     * @return the item
     */
    static Object item(int i) {
        switch (i & 7) {
            case 0:
            case 2:
            case 4:
                return i & 0xFF;
            case 1:
                return i;
            case 3:
                return (long) i;
            case 5:
                return WORD;
            case 6:
                return (double) i;
            default:
                return KIB;
        }
    }
}
