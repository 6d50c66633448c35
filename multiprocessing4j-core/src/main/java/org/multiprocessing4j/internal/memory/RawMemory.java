package org.multiprocessing4j.internal.memory;

import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * Access to mapped memory by address through {@code sun.misc.Unsafe}, on the JVMs whose mappings are plain
 * {@code FileChannel.map} buffers (17-21, {@link FileMapping}); elsewhere {@link #ON} is false and the callers use
 * their {@code VarHandle}s.
 *
 * <p>Why: a fresh JVM runs its first thousands of queue items, lock operations and value updates in the
 * interpreter, where a {@code VarHandle} access to a {@code ByteBuffer} costs ~850 ns (a chain of method-handle and
 * guard frames, each interpreted) and an {@code Unsafe} access ~65 ns, a native intrinsic (measured with
 * {@code -Xint} on JDK 17 here: getVolatile 855 / 66 ns, compareAndSet 994 / 76 ns). Compiled, both are the same
 * single instruction. JDK 24+ warn on Unsafe's memory access, and this JVM's code only reaches it on 17-21, where
 * {@link FileMapping} uses it already (invokeCleaner).
 *
 * <p>Only on amd64 and aarch64, whose plain loads and stores take any alignment as the buffers' do (a codec's int
 * lies one byte past a record's 8-aligned start); other architectures use the buffers.
 *
 * <p>The callers check bounds and that the segment is open before every access, as the {@code VarHandle} would:
 * an address outside the mapping would not throw but corrupt or crash.
 */
final class RawMemory {
    /** The Unsafe on JDK 17-21 (also {@link FileMapping}'s, for invokeCleaner), or null if 22+ or not readable. */
    static final sun.misc.Unsafe UNSAFE;
    /** Whether {@link #UNSAFE} is used for access (it is there, the architecture takes any alignment). */
    static final boolean ON;
    private static final long ADDRESS;

    static {
        sun.misc.Unsafe unsafe = null;
        long address = -1;
        if (Runtime.version().feature() < 22) {
            try {
                Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                unsafe = (sun.misc.Unsafe) f.get(null);
                address = unsafe.objectFieldOffset(Buffer.class.getDeclaredField("address"));
            } catch (ReflectiveOperationException | RuntimeException e) {
                address = -1; // invokeCleaner may still be there; access goes through the buffers
            }
        }
        String arch = System.getProperty("os.arch", "");
        boolean unaligned = arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64");
        UNSAFE = unsafe;
        ADDRESS = address;
        ON = unsafe != null && address >= 0 && unaligned;
    }

    private RawMemory() {
    }

    /** @return the address of a direct buffer's first byte (only when {@link #ON}) */
    static long address(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer: " + direct);
        }
        return UNSAFE.getLong(direct, ADDRESS);
    }
}
