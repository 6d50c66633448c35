package org.multiprocessing4j.internal.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.connection.Connection;
import org.multiprocessing4j.connection.Listener;
import org.multiprocessing4j.connection.Pipe;

/**
 * A child killed with SIGKILL cannot delete its runtime directory: the parent deletes it once it has reaped the child,
 * so no socket file of it is left.
 */
class RuntimeDirCleanupTest {
    static void listenThenWait(Connection out) throws Exception {
        // a Unix socket in this JVM's runtime directory
        Listener listener = new Listener(null, Multiprocessing.currentProcess().authKey());
        out.send(RuntimeDir.get().path().toString());
        Thread.sleep(60_000);
        listener.close();
    }

    private static List<Path> directoriesOf(long pid) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> dirs = RuntimeDir.list(RuntimeDir.baseDirectory(), RuntimeDir.prefixOf(pid))) {
            dirs.forEach(found::add);
        }
        return found;
    }

    @Test
    void aKilledChildsDirectoryIsDeletedOnceItIsReaped() throws Exception {
        Pipe pipe = Pipe.open(false);
        Connection in = pipe.left();
        Connection out = pipe.right();
        ChildProcess child = new ChildProcess(() -> listenThenWait(out));
        child.start();
        out.close();
        Path dir = Path.of((String) in.recv());
        in.close();
        assertTrue(Files.isDirectory(dir), dir + " was made");
        assertEquals(List.of(dir), directoriesOf(child.pid()));
        child.kill();
        child.join(Duration.ofSeconds(30));
        assertEquals(-9, child.exitCode());
        assertEquals(List.of(), directoriesOf(child.pid()), "the killed child's directory is left");
    }
}
