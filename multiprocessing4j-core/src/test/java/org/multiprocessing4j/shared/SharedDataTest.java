package org.multiprocessing4j.shared;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.internal.memory.SegmentFiles;

/** SharedMemory and the shared values, within one JVM and with child JVMs. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedDataTest {
    @Test
    void childWritesWhatTheParentReadsAndTheCreatorsUnlinkRemovesTheName() throws Exception {
        SharedMemory shm = SharedMemory.create(64);
        ChildProcess p = new ChildProcess(() -> {
            ByteBuffer b = shm.buffer();
            b.put("hello from the child".getBytes(StandardCharsets.US_ASCII));
            shm.close();
        });
        p.start();
        p.join();
        assertEquals(0, p.exitCode());
        byte[] got = new byte[20];
        shm.buffer().get(got);
        assertEquals("hello from the child", new String(got, StandardCharsets.US_ASCII));
        try (SharedMemory again = SharedMemory.attach(shm.name(), 64)) {
            assertEquals(64, again.size());
        }
        shm.unlink();
        shm.close();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SharedMemory.attach(shm.name()));
        assertTrue(e.getMessage().contains("no shared memory block of that name"), e.getMessage());
    }

    @Test
    void badInputGivesClearErrors() {
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(0));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create("bad/name", 8));
        try (SharedMemory shm = SharedMemory.create("mp4j_test_named_" + ProcessHandle.current().pid(), 16)) {
            IllegalStateException dup = assertThrows(IllegalStateException.class,
                    () -> SharedMemory.create(shm.name(), 16));
            assertTrue(dup.getMessage().contains("exists"), dup.getMessage());
            IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                    () -> SharedMemory.attach(shm.name(), 32));
            assertTrue(wrong.getMessage().contains("size=16 expected=32"), wrong.getMessage());
            shm.unlink();
        }
        assertThrows(IllegalArgumentException.class, () -> new SharedIntArray(-1));
    }

    @Test
    void attachedOnlyProcessNeverRemovesTheBlockByLeaving() throws Exception {
        try (SharedMemory shm = SharedMemory.create(8)) {
            String name = shm.name();
            ChildProcess p = new ChildProcess(() -> SharedMemory.attach(name).close());
            p.start();
            p.join();
            assertEquals(0, p.exitCode());
            assertTrue(Files.exists(SegmentFiles.directory().resolve(SegmentFiles.PREFIX + name)));
            shm.unlink();
        }
    }

    @Test
    void valuesHaveTheAtomicFamiliesAcrossProcesses() throws Exception {
        SharedInt i = new SharedInt(5);
        SharedLong l = new SharedLong(1L << 40);
        SharedDouble d = new SharedDouble(0.5);
        SharedLongArray la = new SharedLongArray(new long[] {1, 2, 3});
        SharedDoubleArray da = new SharedDoubleArray(2);
        SharedIntArray ia = new SharedIntArray(4);
        ChildProcess p = new ChildProcess(() -> {
            i.addAndGet(10);
            l.incrementAndGet();
            d.addAndGet(0.25);
            la.getAndAdd(2, 10);
            da.set(1, 2.5);
            ia.incrementAndGet(3);
            ia.compareAndSet(0, 0, 9);
        });
        p.start();
        p.join();
        assertEquals(0, p.exitCode());
        assertEquals(15, i.get());
        assertTrue(i.compareAndSet(15, 16));
        assertFalse(i.compareAndSet(15, 17));
        assertEquals((1L << 40) + 1, l.get());
        assertEquals(0.75, d.get());
        assertArrayEquals(new long[] {1, 2, 13}, la.toArray());
        assertEquals(2.5, da.get(1));
        assertArrayEquals(new int[] {9, 0, 0, 1}, ia.toArray());
        assertEquals(4, ia.length());
        assertThrows(IndexOutOfBoundsException.class, () -> ia.get(4));
    }

    @AfterAll
    static void nothingOfOursIsLeftButWhatLiveObjectsHold() throws Exception {
        // the named block of badInputGivesClearErrors was unlinked: it must not be there
        try (Stream<Path> files = Files.list(SegmentFiles.directory())) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().contains("mp4j_test_named_")));
        }
    }
}
