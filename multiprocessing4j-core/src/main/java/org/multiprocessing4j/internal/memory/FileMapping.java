package org.multiprocessing4j.internal.memory;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A region of a file mapped read-write into this process, and the means to unmap it now ({@link #unmap()}) or once no
 * buffer over it is reachable any more ({@link #unmapWhenUnreachable()}). The caller of {@link #unmap()} guarantees
 * that nothing uses the buffer afterwards.
 *
 * <pre>
 * JVM        | map                                      | unmap()                  | unmapWhenUnreachable()
 * 17..21     | FileChannel.map                          | Unsafe.invokeCleaner     | nothing to do: the JDK's own
 *            |                                          | (a later access crashes) | cleaner unmaps
 * 22+ (FFM)  | FileChannel.map(.., Arena.ofShared()),   | Arena.close() (a later   | a cleaner on the buffer closes
 *            | MemorySegment.asByteBuffer()             | access throws ISE)       | the arena
 * </pre>
 * The FFM path exists because {@code sun.misc.Unsafe::invokeCleaner} is terminally deprecated: JDK 24+ print a warning
 * on its first use and a later JDK removes it. The code compiles with {@code --release 17}, so the FFM methods are
 * reached through method handles looked up once here. The buffer is a {@code MappedByteBuffer} on both paths; on the
 * FFM path each access also checks that the arena is open (measured on JDK 25, CPU time: a lock CAS + getAndAdd +
 * release costs 10.7 ns instead of 10.0 compiled, +12% interpreted), so a region that stays mapped until the process
 * ends (a primitive's) is mapped with {@link #mapForLife}, plain {@code FileChannel.map}. A shared arena is never
 * freed by the garbage collector on its own, hence the cleaner: every slice or duplicate of the buffer refers to it,
 * so the arena closes once none is left. The cleaner's thread starts at the first such mapping. A mapping neither
 * unmapped nor left to the collector stays until the process ends (a segment is held by {@code Segments} while open).
 * Closing a shared arena makes the JVM handshake with every thread: a map+close costs ~20 us of CPU against ~10 us
 * with invokeCleaner; no per-item path unmaps explicitly.
 */
final class FileMapping {
    /** Whether this JVM maps through the FFM API (tests read it). */
    static final boolean FFM;
    private static final MethodHandle MAP; // (FileChannel, MapMode, long, long, Object arena) Object segment
    private static final MethodHandle OF_SHARED; // () Object arena
    private static final MethodHandle AS_BYTE_BUFFER; // (Object segment) ByteBuffer
    private static final MethodHandle CLOSE; // (Object arena) void
    private static final sun.misc.Unsafe UNSAFE;

    static {
        MethodHandle map = null;
        MethodHandle ofShared = null;
        MethodHandle asByteBuffer = null;
        MethodHandle close = null;
        if (Runtime.version().feature() >= 22) {
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                Class<?> arena = Class.forName("java.lang.foreign.Arena");
                Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
                map = lookup.findVirtual(FileChannel.class, "map", MethodType.methodType(segment,
                        FileChannel.MapMode.class, long.class, long.class, arena))
                        .asType(MethodType.methodType(Object.class, FileChannel.class, FileChannel.MapMode.class,
                                long.class, long.class, Object.class));
                ofShared = lookup.findStatic(arena, "ofShared", MethodType.methodType(arena))
                        .asType(MethodType.methodType(Object.class));
                asByteBuffer = lookup.findVirtual(segment, "asByteBuffer", MethodType.methodType(ByteBuffer.class))
                        .asType(MethodType.methodType(ByteBuffer.class, Object.class));
                close = lookup.findVirtual(arena, "close", MethodType.methodType(void.class))
                        .asType(MethodType.methodType(void.class, Object.class));
            } catch (ReflectiveOperationException | RuntimeException e) {
                map = null; // fall back to FileChannel.map and Unsafe
            }
        }
        FFM = map != null;
        MAP = map;
        OF_SHARED = ofShared;
        AS_BYTE_BUFFER = asByteBuffer;
        CLOSE = close;
        UNSAFE = FFM ? null : RawMemory.UNSAFE;
    }

    private final MappedByteBuffer buffer;
    private final Object arena; // FFM: the arena the region is mapped in; else null

    private FileMapping(MappedByteBuffer buffer, Object arena) {
        this.buffer = buffer;
        this.arena = arena;
    }

    /**
     * Maps {@code length} bytes of the file from {@code offset}, read-write and shared with other processes.
     *
     * @param ch a channel open for reading and writing (it may be closed once this returns)
     * @param offset where the region starts in the file
     * @param length how many bytes
     * @return the mapping
     * @throws IOException if the file cannot be mapped
     */
    static FileMapping map(FileChannel ch, long offset, long length) throws IOException {
        if (!FFM) {
            return new FileMapping(ch.map(FileChannel.MapMode.READ_WRITE, offset, length), null);
        }
        Object arena = invoke(() -> OF_SHARED.invokeExact());
        try {
            Object segment = invoke(() -> MAP.invokeExact(ch, FileChannel.MapMode.READ_WRITE, offset, length, arena));
            return new FileMapping((MappedByteBuffer) invoke(() -> (ByteBuffer) AS_BYTE_BUFFER.invokeExact(segment)),
                    arena);
        } catch (IOException | RuntimeException | Error e) {
            new CloseArena(arena).run();
            throw e;
        }
    }

    /**
     * Maps as {@link #map} but always with {@code FileChannel.map}, for a region that stays mapped until the process
     * ends and is accessed on hot paths: its buffer has no arena, so no liveness check per access. {@link #unmap()}
     * still unmaps it on JDK 17-21 (invokeCleaner); on JDK 22+ it leaves it to the garbage collector.
     *
     * @param ch a channel open for reading and writing (it may be closed once this returns)
     * @param offset where the region starts in the file
     * @param length how many bytes
     * @return the mapping
     * @throws IOException if the file cannot be mapped
     */
    static FileMapping mapForLife(FileChannel ch, long offset, long length) throws IOException {
        return new FileMapping(ch.map(FileChannel.MapMode.READ_WRITE, offset, length), null);
    }

    /** @return the buffer over the whole region, position 0, big-endian as from FileChannel.map */
    MappedByteBuffer buffer() {
        return buffer;
    }

    /**
     * Unmaps now (a {@link #mapForLife} region on JDK 22+: once unreachable); idempotent. Nothing may use the buffer
     * or a buffer derived from it afterwards.
     */
    void unmap() {
        if (arena != null) {
            new CloseArena(arena).run();
        } else if (UNSAFE != null) {
            try {
                UNSAFE.invokeCleaner(buffer);
            } catch (IllegalArgumentException e) {
                // a slice or duplicate: the garbage collector unmaps it
            }
        }
    }

    /**
     * Unmaps once neither the buffer nor any buffer derived from it (they all refer to it) is reachable; call it
     * once, instead of {@link #unmap()}, when buffers were handed out.
     */
    void unmapWhenUnreachable() {
        if (arena != null) {
            Collector.CLEANER.register(buffer, new CloseArena(arena));
        }
    }

    /** The cleaner, in a holder so that its thread starts only in a process that needs it. */
    private static final class Collector {
        static final Cleaner CLEANER = Cleaner.create();
    }

    /** Closes a shared arena; holds no reference to the buffer, or the cleaner would never run. */
    private static final class CloseArena implements Runnable {
        private final Object arena;

        CloseArena(Object arena) {
            this.arena = arena;
        }

        @Override
        public void run() {
            try {
                CLOSE.invokeExact(arena);
            } catch (IllegalStateException e) {
                // closed already, or held by an I/O operation in progress: left mapped until the process ends
            } catch (Throwable e) {
                throw new IllegalStateException("cannot unmap a shared memory mapping: " + e, e);
            }
        }
    }

    private interface Call {
        Object call() throws Throwable;
    }

    private static Object invoke(Call c) throws IOException {
        try {
            return c.call();
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
