package org.multiprocessing4j.internal.codec;

/**
 * Where a class made by {@link BodyCaller} takes its values from and leaves its one instance, in its static
 * initializer: public because that class lives in the capturing class's package; its values and instance pass under
 * this class's lock, held by {@link BodyCaller#of} around the class's definition.
 */
public final class Handoff {
    private static Object[] values;
    private static Object made;

    private Handoff() {
    }

    /**
     * @return the values for the instance being made
     * @throws IllegalStateException outside a definition by {@link BodyCaller}
     */
    public static Object[] take() {
        if (values == null) {
            throw new IllegalStateException("no task body is being made");
        }
        return values;
    }

    /**
     * @param instance the instance made
     */
    public static void give(Object instance) {
        if (values == null) {
            throw new IllegalStateException("no task body is being made");
        }
        made = instance;
    }

    static void offer(Object[] v) {
        values = v;
        made = null;
    }

    static Object received() {
        return made;
    }

    static void clear() {
        values = null;
        made = null;
    }
}
