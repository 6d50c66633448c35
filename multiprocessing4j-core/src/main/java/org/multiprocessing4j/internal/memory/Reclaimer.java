package org.multiprocessing4j.internal.memory;

import static org.multiprocessing4j.internal.memory.SegmentHeader.LENGTH;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reclaims segment files that no process can use any more, for the sweeps ({@code SegmentSweeper}) and a creator's
 * exit hook ({@link Segments}): a segment whose creator and users are all gone, and a file whose creator was killed
 * before it wrote the header.
 */
public final class Reclaimer {
    /** How old a segment file without a header must be before a sweep deletes it (see deleteIfHeaderless). */
    static final long HEADERLESS_GRACE_MILLIS = 30_000;

    private Reclaimer() {
    }

    /**
     * Deletes a segment file whose creator is gone and whose users are all gone (killed without letting go); a
     * file of ours that is not a segment yet (being created) is left alone, a foreign file too.
     *
     * @param file a file named {@code mp4j-*} in {@link SegmentFiles#directory()}
     * @return whether the file was deleted
     */
    public static boolean reclaimIfAbandoned(Path file) {
        return reclaimIfAbandoned(file, false);
    }

    /**
     * As {@link #reclaimIfAbandoned(Path)}; {@code selfExiting}: this process, in its shutdown hooks, counts as gone
     * (for segments it created and closed, or that other processes handed over to it, see {@code Segments}).
     *
     * @param file a file named {@code mp4j-*} in {@link SegmentFiles#directory()}
     * @param selfExiting whether this process is in its shutdown hooks
     * @return whether the file was deleted
     */
    public static boolean reclaimIfAbandoned(Path file, boolean selfExiting) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (ch.size() < LENGTH) {
                return deleteIfHeaderless(file);
            }
            FileMapping region = FileMapping.map(ch, 0, LENGTH);
            try {
                MappedByteBuffer m = region.buffer();
                if (!SegmentHeader.hasMagic(m)) {
                    return deleteIfHeaderless(file);
                }
                if (SegmentHeader.doomIfAbandoned(m, selfExiting)) {
                    Files.deleteIfExists(file);
                    return true;
                }
                return false;
            } finally {
                region.unmap();
            }
        } catch (IOException | RuntimeException e) {
            return false; // gone already, another user's, or not ours
        }
    }

    /**
     * A file with no header yet is a segment whose creator was killed between creating the file and writing the
     * header (microseconds apart), or one being created right now: it is abandoned once it is older than
     * {@link #HEADERLESS_GRACE_MILLIS}, since no process can use a segment without a header.
     */
    private static boolean deleteIfHeaderless(Path file) throws IOException {
        long age = System.currentTimeMillis() - Files.getLastModifiedTime(file).toMillis();
        if (age > HEADERLESS_GRACE_MILLIS) {
            Files.deleteIfExists(file);
            return true;
        }
        return false;
    }
}
