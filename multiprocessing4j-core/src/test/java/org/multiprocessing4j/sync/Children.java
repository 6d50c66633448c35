package org.multiprocessing4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.TestTimeouts;
import org.multiprocessing4j.function.SerializableRunnable;

/** Starts and joins the child processes of the cross-process tests. */
final class Children {
    private Children() {
    }

    static List<ChildProcess> start(int n, SerializableRunnable target) {
        List<ChildProcess> ps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ChildProcess p = new ChildProcess(target);
            p.start();
            ps.add(p);
        }
        return ps;
    }

    /** Joins every child, killing those still running after the time-out, and checks they ended with 0. */
    static void joinAll(List<ChildProcess> ps, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ChildProcess p : ps) {
            if (!p.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                for (ChildProcess q : ps) {
                    q.kill();
                }
                throw new AssertionError("child did not end within " + timeout + ": " + p);
            }
        }
        for (ChildProcess p : ps) {
            assertEquals(0, p.exitCode(), "exit code of " + p);
        }
    }

    static void joinAll(List<ChildProcess> ps) throws InterruptedException {
        joinAll(ps, TestTimeouts.CHILD_STEP.multipliedBy(3));
    }
}
