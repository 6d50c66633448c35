package org.multiprocessing4j.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.ChildProcess;

/** The segment layer: files, header, atomic access, and reclaiming what a killed process left. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SegmentTest {
    @TempDir
    Path dir;

    /**
     * What a reclaimer killed between dooming a segment and deleting its file leaves (a creator gone, no user, the
     * state DOOMED) is deleted by the next sweep; before, every later reclaimer took DOOMED for a reclaim under way
     * and the file stayed for good.
     */
    @Test
    void aSegmentWhoseReclaimerEndedBeforeDeletingItIsDeletedByTheNextSweep() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path file;
        try (Segment s = Segment.create(64, 0)) {
            file = SegmentFiles.fileOf(s.name());
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                MappedByteBuffer header = ch.map(FileChannel.MapMode.READ_WRITE, 0, SegmentHeader.LENGTH);
                SegmentHeader.setCreator(header, gone.pid(), 1L); // an ended process (no process started at 1 ms)
                assertTrue(SegmentHeader.casState(header, SegmentHeader.STATE_LIVE, SegmentHeader.STATE_DOOMED));
            }
        } // this process lets go of its entry: no user is left
        org.multiprocessing4j.internal.resource.SegmentSweeper.sweep();
        assertFalse(Files.exists(file), "a doomed segment of no one is deleted: " + file);
    }

    @Test
    void createdSegmentIsPrivateAndAttachSeesTheSameMemory() throws Exception {
        try (Segment a = Segment.create(64, 0)) {
            Path file = SegmentFiles.fileOf(a.name());
            assertTrue(Files.exists(file));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            try (Segment b = Segment.attach(a.name())) {
                a.setLongVolatile(8, 41);
                assertEquals(42, b.getAndAddLong(8, 1) + 1);
                assertTrue(b.compareAndSetInt(0, 0, 7));
                assertEquals(7, a.getIntVolatile(0));
                assertEquals(64, b.size());
            }
            a.unlink();
            assertFalse(Files.exists(file));
            assertEquals(7, a.getIntVolatile(0), "memory stays valid after unlink");
        }
    }

    @Test
    void attachOfAMissingNameSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Segment.attach("psm_no_such_block"));
        assertTrue(e.getMessage().contains("no shared memory block of that name"), e.getMessage());
    }

    @Test
    void badNameAndSizeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Segment.create("../etc", 8, 0));
        assertThrows(IllegalArgumentException.class, () -> Segment.create(0, 0));
    }

    @Test
    void accessAfterCloseThrowsInsteadOfCrashing() {
        Segment a = Segment.create(16, 0);
        a.unlink();
        a.close();
        a.close();
        assertThrows(RuntimeException.class, () -> a.getIntVolatile(0));
        assertThrows(IllegalStateException.class, a::data);
    }

    /** Starts a child that creates a segment, writes its name to {@code out} and sleeps; returns once it has. */
    private static ChildProcess startSegmentCreator(Path out) throws Exception {
        String file = out.toString();
        ChildProcess p = new ChildProcess(() -> {
            Segment s = Segments.createShared(128, 0);
            Files.writeString(Path.of(file + ".tmp"), s.name());
            Files.move(Path.of(file + ".tmp"), Path.of(file));
            Thread.sleep(Long.MAX_VALUE);
        });
        p.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(out) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return p;
    }

    @Test
    void segmentOfAKilledCreatorIsReclaimedWhenItsParentReapsIt() throws Exception {
        Path out = dir.resolve("name");
        ChildProcess p = startSegmentCreator(out);
        String name = Files.readString(out);
        Path segment = SegmentFiles.fileOf(name);
        assertTrue(Files.exists(segment));
        p.kill();
        p.join();
        assertFalse(Files.exists(segment), "the killed creator's segment is reclaimed: " + segment);
    }

    @Test
    void segmentStaysWhileAnAttachedProcessLivesAfterTheCreatorWasKilled() throws Exception {
        Path out = dir.resolve("name");
        ChildProcess p = startSegmentCreator(out);
        String name = Files.readString(out);
        Segment mine = Segment.attach(name);
        p.kill();
        p.join();
        Path segment = SegmentFiles.fileOf(name);
        assertTrue(Files.exists(segment), "still in use here");
        mine.close();
        assertFalse(Files.exists(segment), "the last user out deletes it");
    }

    @Test
    void attachingAPrimitivesSegmentAsAnotherKindOrSizeIsRefused() {
        Segment lock = Segments.createShared(64, 1);
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
                () -> Segments.attachShared(lock.name(), 2, 64));
        assertTrue(kind.getMessage().contains("holds something else"), kind.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> Segments.attachShared(lock.name(), 1, 128));
        assertTrue(size.getMessage().contains("expectedSize=128"), size.getMessage());
        assertEquals(lock, Segments.attachShared(lock.name(), 1, 64), "one mapping per name in a process");
        lock.unlink();
    }

    @Test
    void aFileWithoutHeaderIsSweptOnceItIsOlderThanTheGraceButNotBefore() throws Exception {
        Path dirOfSegments = SegmentFiles.directory();
        Path stale = dirOfSegments.resolve(SegmentFiles.PREFIX + "test-headerless-" + ProcessHandle.current().pid());
        Path fresh = dirOfSegments.resolve(SegmentFiles.PREFIX + "test-fresh-" + ProcessHandle.current().pid());
        try {
            Files.write(stale, new byte[8192]); // what a creator killed before writing the header leaves
            Files.write(fresh, new byte[0]); // what a creator killed before sizing the file leaves, just now
            Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.fromMillis(
                    System.currentTimeMillis() - Reclaimer.HEADERLESS_GRACE_MILLIS - 5_000));
            org.multiprocessing4j.internal.resource.SegmentSweeper.sweep();
            assertFalse(Files.exists(stale), "a headerless file past the grace is abandoned");
            assertTrue(Files.exists(fresh), "a headerless file may be one being created: kept within the grace");
        } finally {
            Files.deleteIfExists(stale);
            Files.deleteIfExists(fresh);
        }
    }

    @Test
    void aSegmentItsCreatorClosedIsGoneOnceTheCreatorEndsWithoutWaitingForASweep() throws Exception {
        String javaExe = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaExe, "-cp", System.getProperty("java.class.path"),
                CreateCloseMain.class.getName()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String name = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor());
        assertFalse(name.isEmpty());
        assertFalse(Files.exists(SegmentFiles.fileOf(name)), "left behind by its creator: " + name);
    }
}
