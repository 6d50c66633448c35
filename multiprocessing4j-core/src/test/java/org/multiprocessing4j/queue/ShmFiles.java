package org.multiprocessing4j.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.TreeSet;
import org.multiprocessing4j.TestTimeouts;
import org.multiprocessing4j.internal.memory.SegmentFiles;
import org.multiprocessing4j.internal.resource.SegmentSweeper;

/** The segment files under /dev/shm (or the temp dir) that hold one kind of queue data, read from their headers. */
final class ShmFiles {
    /** The segment kind of a large item's own segment (QueueLayout.ITEM_KIND). */
    static final int ITEM_KIND = 0x5149_544d;
    /** The segment kind of a spill segment (QueueLayout.SPILL_KIND). */
    static final int SPILL_KIND = 0x5153_504c;
    /** Any creator. */
    static final long ANY = -1;

    private ShmFiles() {
    }

    /**
     * @param kind the segment kind in the header
     * @param creatorPid the pid of the creator in the header, or {@link #ANY}
     * @return the file names now present
     */
    static Set<String> of(int kind, long creatorPid) throws IOException {
        Set<String> names = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(SegmentFiles.directory(),
                SegmentFiles.PREFIX + "*")) {
            for (Path f : files) {
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                    ByteBuffer header = ByteBuffer.allocate(40).order(ByteOrder.nativeOrder());
                    ch.read(header, 0);
                    if (header.position() == 40 && header.getInt(0) == 0x4D50344A && header.getInt(36) == kind
                            && (creatorPid == ANY || header.getLong(16) == creatorPid)) {
                        names.add(f.getFileName().toString());
                    }
                } catch (IOException e) {
                    // gone meanwhile, or not ours
                }
            }
        }
        return names;
    }

    /** Fails unless every file of {@code kind} not in {@code before} is gone within a step (sweeping meanwhile). */
    static void assertNoNew(int kind, Set<String> before) throws Exception {
        long deadline = System.nanoTime() + TestTimeouts.CHILD_STEP.toNanos();
        Set<String> now;
        do {
            SegmentSweeper.sweep();
            now = of(kind, ANY);
            now.removeAll(before);
            if (now.isEmpty()) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("segments of kind 0x" + Integer.toHexString(kind) + " left under "
                + SegmentFiles.directory() + ": " + now);
    }
}
