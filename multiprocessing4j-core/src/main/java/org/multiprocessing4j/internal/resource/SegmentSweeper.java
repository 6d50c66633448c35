package org.multiprocessing4j.internal.resource;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.multiprocessing4j.internal.memory.Reclaimer;
import org.multiprocessing4j.internal.memory.SegmentFiles;

/**
 * Reclaims shared memory that its processes could not: a segment whose creator and users were all killed (or
 * ended without running their shutdown hooks) is deleted by the next sweep. A sweep runs when a JVM first uses
 * shared memory and when a parent has reaped a child; it deletes nothing that a live process uses (the user table
 * in each segment's header tells, see {@code SegmentHeader}), so it never produces a false "leaked" verdict.
 */
public final class SegmentSweeper {
    private SegmentSweeper() {
    }

    /**
     * Deletes every abandoned segment file of this OS user.
     *
     * @return how many were deleted
     */
    public static int sweep() {
        return sweep(false);
    }

    /**
     * As {@link #sweep()}, counting this process as gone: at its exit, a process deletes the segments whose creator
     * it is (those other processes handed over to it, which it never mapped) once no live process uses them.
     *
     * @return how many were deleted
     */
    public static int sweepAtExit() {
        return sweep(true);
    }

    private static int sweep(boolean selfExiting) {
        int deleted = 0;
        try (DirectoryStream<Path> files = RuntimeDir.list(SegmentFiles.directory(), SegmentFiles.PREFIX)) {
            for (Path f : files) {
                if (Files.isRegularFile(f) && Files.isWritable(f) && Reclaimer.reclaimIfAbandoned(f, selfExiting)) {
                    deleted++;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the directory is gone or unreadable: nothing to do
        }
        return deleted;
    }

    /** Called by the parent once a child has been reaped: what the child held may now be abandoned. */
    public static void afterChildEnded() {
        sweep();
    }
}
