package org.multiprocessing4j.internal.child;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Puts the calling thread under Linux's {@code SCHED_IDLE} policy ({@code chrt --idle}), so that it runs only on a
 * core that nothing else of normal priority wants, for the rehearsal of a ready JVM: threads it then creates
 * inherit the policy. Lowering one's own priority needs no privilege; raising it back would, which is why only
 * threads that end before the process arrives are lowered. Elsewhere (no {@code chrt}, not Linux) nothing happens.
 */
final class IdleScheduling {
    private static final List<Path> CHRT = List.of(Path.of("/usr/bin/chrt"), Path.of("/bin/chrt"));

    private IdleScheduling() {
    }

    /** @return whether the calling thread now runs under SCHED_IDLE */
    static boolean lowerCurrentThread() {
        try {
            Path chrt = CHRT.stream().filter(Files::isExecutable).findFirst().orElse(null);
            Path self = Path.of("/proc/thread-self").toRealPath(); // /proc/PID/task/TID
            if (chrt == null) {
                return false;
            }
            String tid = self.getFileName().toString();
            Process p = new ProcessBuilder(chrt.toString(), "--idle", "--pid", "0", tid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            return p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
