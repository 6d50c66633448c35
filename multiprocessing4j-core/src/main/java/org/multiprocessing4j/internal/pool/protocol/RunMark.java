package org.multiprocessing4j.internal.pool.protocol;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.multiprocessing4j.internal.resource.RuntimeDir;

/**
 * Which task a worker is running, in a page that the pool and the worker share (a small file in the pool's private
 * runtime directory, mapped by both): the pool reads it once the worker has died, however it died.
 *
 * <pre>
 * Why: a worker sends its replies in batches (one write for many short tasks), so when it dies the replies of tasks
 * it had finished may still be in its buffer, and "the oldest unanswered task" is not necessarily the one it was
 * running: with a burst of tiny tasks it could be dozens of tasks earlier. The worker writes a task's id here before
 * it runs it, and NONE when it runs out of tasks; a plain store to a mapped page, no system call. At the worker's
 * death the task named here, if any, is the one lost; its other unanswered tasks (finished ones whose replies were
 * lost with it included) run again. Between two queued tasks (well under a microsecond once compiled) the mark
 * still names the task that just ended: a kill from outside that lands there fails that one.
 * </pre>
 */
public final class RunMark {
    /** The value while the worker runs no task. */
    public static final long NONE = 0;

    private final Path path;
    private final MappedByteBuffer page;

    private RunMark(Path path, MappedByteBuffer page) {
        this.path = path;
        this.page = page;
    }

    /**
     * Makes a fresh mark for one worker, in this JVM's runtime directory.
     *
     * @return the mark
     * @throws IOException if the file cannot be made or mapped
     */
    public static RunMark create() throws IOException {
        return map(RuntimeDir.get().newFile(".run"), true);
    }

    /**
     * Maps a mark the pool made; in the worker.
     *
     * @param path its file
     * @return the mark
     * @throws IOException if the file cannot be mapped
     */
    public static RunMark open(String path) throws IOException {
        return map(Path.of(path), false);
    }

    private static RunMark map(Path path, boolean create) throws IOException {
        try (FileChannel ch = create
                ? FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer page = ch.map(FileChannel.MapMode.READ_WRITE, 0, Long.BYTES);
            if (create) {
                page.putLong(0, NONE);
            }
            return new RunMark(path, page);
        }
    }

    /** @param taskId the task that runs from now on, or {@link #NONE} */
    public void set(long taskId) {
        page.putLong(0, taskId);
    }

    /** @return the task the worker runs (or ran when it died), or {@link #NONE} */
    public long get() {
        return page.getLong(0);
    }

    /** @return the file, for the worker to map */
    public String path() {
        return path.toString();
    }

    /** Deletes the file (the mapping stays valid until it is collected). */
    public void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // the runtime directory goes at exit
        }
    }
}
