package org.multiprocessing4j.internal;

/**
 * Which of the library's primitives this process has used, so that the JVMs it makes ready for its children
 * rehearse those, and only those (internal.child.Rehearsals): a program that never made a queue never pays for
 * rehearsing one. A bit is set when a primitive is made or attached here, and never cleared.
 */
public final class PrimitiveUse {
    /** A {@code ProcessQueue}, {@code SimpleProcessQueue} or {@code JoinableProcessQueue}. */
    public static final int QUEUE = 1;
    /** A shared-memory {@code Pipe} (a manager's local connections too). */
    public static final int PIPE = 2;
    /** A {@code ProcessPool}. */
    public static final int POOL = 4;
    /** Every bit that is defined. */
    public static final int ALL = QUEUE | PIPE | POOL;

    private static volatile int used;

    private PrimitiveUse() {
    }

    /**
     * Notes the use of a primitive.
     *
     * @param bit {@link #QUEUE}, {@link #PIPE} or {@link #POOL}
     */
    public static void note(int bit) {
        if ((used & bit) == 0) {
            synchronized (PrimitiveUse.class) {
                used |= bit;
            }
        }
    }

    /**
     * Sets the bits back to what they were before a rehearsal, whose own queues and pipes say nothing of what the
     * process that comes next will use.
     *
     * @param bits what {@link #used()} returned before
     */
    public static void restore(int bits) {
        synchronized (PrimitiveUse.class) {
            used = bits;
        }
    }

    /** @return the bits of the primitives used so far */
    public static int used() {
        return used;
    }
}
