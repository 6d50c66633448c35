package org.multiprocessing4j.internal.wait;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.file.Files;
import java.nio.file.Path;
import org.multiprocessing4j.internal.resource.RuntimeDir;

/**
 * Finds a socket file of another process of this OS user by pid: every JVM keeps its sockets in its own
 * {@link RuntimeDir}, {@code <base>/mp4j-<pid>-<start millis>-<random>}, so a waker that knows only a waiter's pid
 * (from a slot in shared memory) can reach it. The base is the user's directory, or where that was unsafe to use,
 * the temp directory itself: both are looked in.
 */
final class PeerSockets {
    private PeerSockets() {
    }

    /**
     * Cancels a selection key and closes its channel, ignoring errors: for a connection that ended or failed.
     *
     * @param key the key
     */
    static void drop(SelectionKey key) {
        key.cancel();
        closeQuietly(key.channel());
    }

    /** @param ch a channel or selector to close; an error closing it is ignored (it is closed all the same) */
    static void closeQuietly(Closeable ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // closed
        }
    }

    /**
     * @param pid a process
     * @param fileName a socket's file name in that process's runtime directory
     * @return the socket's path, or {@code null} if no live directory of that pid has it
     */
    static Path find(long pid, String fileName) {
        Path found = find(RuntimeDir.baseDirectory(), pid, fileName);
        Path other = RuntimeDir.otherBaseDirectory();
        return found != null || other == null ? found : find(other, pid, fileName);
    }

    private static Path find(Path base, long pid, String fileName) {
        Path dir;
        try {
            dir = RuntimeDir.directoryOf(base, pid);
        } catch (IOException e) {
            return null;
        }
        Path s = dir == null ? null : dir.resolve(fileName);
        return s != null && Files.exists(s) ? s : null;
    }
}
