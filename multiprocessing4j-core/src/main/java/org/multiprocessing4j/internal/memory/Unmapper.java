package org.multiprocessing4j.internal.memory;

import java.lang.reflect.Field;
import java.nio.MappedByteBuffer;
import sun.misc.Unsafe;

/**
 * Unmaps a mapping now ({@code Unsafe.invokeCleaner}) instead of when the garbage collector finds it unreachable.
 * The caller guarantees that nothing reads the buffer afterwards: the JVM would crash.
 */
final class Unmapper {
    private static final Unsafe UNSAFE = unsafe();

    private Unmapper() {
    }

    static void unmap(MappedByteBuffer buffer) {
        if (UNSAFE != null) {
            try {
                UNSAFE.invokeCleaner(buffer);
            } catch (IllegalArgumentException e) {
                // a slice or duplicate: the garbage collector unmaps it
            }
        }
    }

    private static Unsafe unsafe() {
        try {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (Unsafe) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // the garbage collector unmaps
        }
    }
}
