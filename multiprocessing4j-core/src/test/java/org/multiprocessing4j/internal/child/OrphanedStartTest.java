package org.multiprocessing4j.internal.child;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.internal.ProcessAccess;
import org.multiprocessing4j.internal.control.Bootstrap;
import org.multiprocessing4j.internal.control.ControlMessage;

/**
 * A child given its process in its bootstrap line whose parent is gone before it could connect (here: a socket
 * that never existed): a non-daemon process runs its task anyway, as Python's orphans do, and exits with its own
 * code; a daemon one ends at once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OrphanedStartTest {
    @TempDir
    Path dir;

    static void write(String file) throws Exception {
        Files.writeString(Path.of(file), "ran", StandardCharsets.UTF_8);
    }

    private Process launch(boolean daemon, Path out) throws Exception {
        String file = out.toString();
        ChildProcess process = new ChildProcess(() -> write(file), daemon ? "orphan-daemon" : "orphan");
        byte[] key = {1, 2, 3, 4};
        ControlMessage.Assign assign = new ControlMessage.Assign(ProcessAccess.get().encode(process),
                process.name(), daemon, key, "MainProcess", 1);
        Bootstrap boot = new Bootstrap(dir.resolve("no-such-parent.sock").toString(), new byte[32],
                Bootstrap.Mode.DIRECT, ControlMessage.encode(assign));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ChildMain.class.getName())
                .redirectError(dir.resolve(daemon ? "daemon.err" : "non-daemon.err").toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (OutputStream stdin = child.getOutputStream()) {
            boot.writeTo(stdin);
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the orphan ended");
        return child;
    }

    @Test
    void aNonDaemonProcessRunsItsTaskWithoutItsParent() throws Exception {
        Path out = dir.resolve("non-daemon");
        Process child = launch(false, out);
        assertEquals(0, child.exitValue());
        assertEquals("ran", Files.readString(out));
        String err = Files.readString(dir.resolve("non-daemon.err"), StandardCharsets.ISO_8859_1);
        assertTrue(err.contains("runs on without it"), "length=" + err.length() + " " + err.replace('\u0000', '@'));
    }

    @Test
    void aDaemonProcessEndsWithItsParent() throws Exception {
        Process child = launch(true, dir.resolve("daemon"));
        assertEquals(2, child.exitValue());
        String err = Files.readString(dir.resolve("daemon.err"), StandardCharsets.ISO_8859_1);
        assertTrue(err.contains("cannot reach the parent"), err);
    }
}
