package org.multiprocessing4j.internal.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The accessors of a segment and of a view of its data ({@link MappedBytes}) on either path ({@link RawMemory}):
 * they reach the same bytes as a buffer over the data, and refuse what a buffer refuses (outside the mapping, after
 * close, misaligned atomics) with the same exceptions, never touching memory outside the mapping; the raw path
 * also refuses what lies outside the data (before it, the segment's header).
 */
class RawMemoryTest {
    @Test
    void theRawPathIsTakenOnTheJvmsThatMapWithoutFfm() {
        String arch = System.getProperty("os.arch");
        if (arch.equals("amd64") || arch.equals("aarch64")) {
            assertEquals(Runtime.version().feature() < 22, RawMemory.ON);
            assertEquals(!FileMapping.FFM, RawMemory.ON, "Unsafe is used where the mappings are plain buffers");
        }
    }

    @Test
    void segmentAccessorsReachTheBytesOfTheDataBuffer() {
        try (Segment s = Segment.create(64, 0)) {
            s.unlink();
            ByteBuffer data = s.data().order(ByteOrder.nativeOrder());
            s.setLongVolatile(56, 0x0102_0304_0506_0708L);
            assertEquals(0x0102_0304_0506_0708L, data.getLong(56), "the last long of the data");
            s.setIntRelease(0, 7);
            assertEquals(7, data.getInt(0));
            data.putLong(8, 41);
            assertEquals(41, s.getAndAddLong(8, 1));
            assertEquals(42, s.getLongVolatile(8));
            assertTrue(s.compareAndSetLong(8, 42, -1));
            assertEquals(-1, s.getAndSetLong(8, 3));
            assertEquals(3, data.getLong(8));
            assertEquals(7, s.getAndSetInt(0, 9));
            assertEquals(9, s.getAndAddInt(0, 1));
            assertTrue(s.compareAndSetInt(0, 10, 11));
            s.setIntVolatile(4, 12);
            assertEquals(11, data.getInt(0));
            assertEquals(12, s.getIntVolatile(4));
        }
    }

    @Test
    void segmentAccessorsRefuseWhatIsOutsideTheDataMisalignedOrClosed() {
        Segment s = Segment.create(64, 0);
        s.unlink();
        if (RawMemory.ON) { // the raw path's bounds are the data's; a VarHandle's, the whole mapping's (header too)
            assertThrows(IndexOutOfBoundsException.class, () -> s.getLongVolatile(64));
            assertThrows(IndexOutOfBoundsException.class, () -> s.getIntVolatile(64));
            assertThrows(IndexOutOfBoundsException.class, () -> s.setIntVolatile(-4, 1));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> s.getLongVolatile(1 << 20));
        assertThrows(IndexOutOfBoundsException.class, () -> s.getAndAddInt(1 << 20, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> s.compareAndSetLong(Integer.MAX_VALUE - 7, 0, 1));
        assertThrows(IllegalStateException.class, () -> s.getLongVolatile(4), "a long at an int's alignment");
        assertThrows(IllegalStateException.class, () -> s.compareAndSetInt(2, 0, 1));
        s.close();
        assertThrows(IndexOutOfBoundsException.class, () -> s.getLongVolatile(0));
        assertThrows(IndexOutOfBoundsException.class, () -> s.setIntVolatile(0, 1));
    }

    @Test
    void aViewReadsAndWritesTheBufferInNativeOrderAtAnyAlignment() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64).order(ByteOrder.BIG_ENDIAN);
        MappedBytes view = new MappedBytes(buffer);
        ByteBuffer his = buffer.duplicate().order(ByteOrder.nativeOrder());
        assertEquals(64, view.capacity());
        view.putInt(1, 0x1122_3344);
        assertEquals(0x1122_3344, his.getInt(1));
        view.putLong(13, -5L);
        assertEquals(-5L, his.getLong(13));
        his.putLong(56, 77L);
        assertEquals(77L, view.getLong(56));
        view.put(63, (byte) 9);
        assertEquals(9, view.get(63));
        byte[] src = {1, 2, 3, 4, 5};
        view.put(30, src, 1, 3);
        byte[] got = new byte[5];
        view.get(29, got, 1, 4);
        assertArrayEquals(new byte[] {0, 0, 2, 3, 4}, got);
    }

    @Test
    void aViewRefusesEveryAccessThatLeavesIt() {
        MappedBytes view = new MappedBytes(ByteBuffer.allocateDirect(16));
        assertThrows(IndexOutOfBoundsException.class, () -> view.getInt(13));
        assertThrows(IndexOutOfBoundsException.class, () -> view.putLong(9, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> view.get(16));
        assertThrows(IndexOutOfBoundsException.class, () -> view.put(-1, (byte) 0));
        assertThrows(IndexOutOfBoundsException.class, () -> view.get(8, new byte[16], 0, 9));
        assertThrows(IndexOutOfBoundsException.class, () -> view.put(0, new byte[4], 2, 3), "past the array");
        assertThrows(IndexOutOfBoundsException.class, () -> view.get(0, new byte[4], 0, -1));
        assertThrows(IllegalArgumentException.class, () -> new MappedBytes(ByteBuffer.allocate(16)));
    }

    @Test
    void aCopyLongerThanARawCopyGoesWholeThroughTheBuffer() {
        int n = (1 << 20) + 13;
        MappedBytes view = new MappedBytes(ByteBuffer.allocateDirect(n + 3));
        byte[] src = new byte[n];
        for (int i = 0; i < n; i++) {
            src[i] = (byte) (i * 31);
        }
        view.put(3, src, 0, n);
        byte[] back = new byte[n];
        view.get(3, back, 0, n);
        assertTrue(Arrays.equals(src, back));
        assertEquals(src[n - 1], view.get(n + 2));
    }
}
