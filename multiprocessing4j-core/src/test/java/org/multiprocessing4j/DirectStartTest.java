package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.function.SerializableRunnable;

/**
 * A fresh JVM is given a small process in its bootstrap line and runs it while it connects back: a task that ends
 * its JVM at once, before the connection is made, is that process's own end (its exit code, its report), never a
 * failed start; a process too large for the line still goes over the socket.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DirectStartTest {
    private static final Context SPAWN = Multiprocessing.getContext(StartMethod.SPAWN);

    private static int run(SerializableRunnable task) throws Exception {
        ChildProcess p = SPAWN.process(task);
        p.start();
        p.join();
        return p.exitCode();
    }

    @Test
    void aTaskThatHaltsAtOnceEndsWithItsCodeNotAFailedStart() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(5, run(() -> Runtime.getRuntime().halt(5)));
        }
    }

    @Test
    void aTaskThatExitsAtOnceIsReportedAsAnOrderlyExit() throws Exception {
        assertEquals(7, run(() -> System.exit(7)));
        // 143 is also what SIGTERM gives: only the child's report, sent before its JVM ends, tells them apart
        assertEquals(143, run(() -> System.exit(143)));
    }

    @Test
    void aTaskThatThrowsAtOnceEndsWithOne() throws Exception {
        assertEquals(1, run(() -> {
            throw new IllegalStateException("thrown at once, on purpose");
        }));
    }

    @Test
    void capturedValuesOfEveryKindAndAnObjectsOwnLambdaReachTheTask() throws Exception {
        int i = 3;
        long l = 40L;
        String s = "four";
        List<Integer> list = List.of(1, 2);
        assertEquals(49, run(() -> System.exit((int) (i + l + s.length() + list.size()))));
        assertEquals(12, run(new Holder(12).task()));
    }

    @Test
    void onJdk25TheBodyIsCalledThroughAClassMadeForItWithTheSameResults() throws Exception {
        Path java25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
        assumeTrue(Files.isExecutable(java25), "no Temurin 25 on this machine");
        Context ctx = SPAWN.withJavaExecutable(java25);
        int i = 3;
        long l = 40L;
        double d = 0.5;
        String s = "four";
        ChildProcess p = ctx.process(() -> System.exit((int) (i + l + s.length() + d * 2)));
        p.start();
        p.join();
        assertEquals(48, p.exitCode());
        ChildProcess onObject = ctx.process(new Holder(12).task());
        onObject.start();
        onObject.join();
        assertEquals(12, onObject.exitCode());
        ChildProcess throwing = ctx.process(() -> {
            throw new java.io.IOException("thrown on JDK 25, on purpose");
        });
        throwing.start();
        throwing.join();
        assertEquals(1, throwing.exitCode());
    }

    @Test
    void aProcessTooLargeForTheBootstrapLineGoesOverTheSocket() throws Exception {
        byte[] big = new byte[200_000];
        big[big.length - 1] = 9;
        assertEquals(9, run(() -> System.exit(big[big.length - 1] + big.length - 200_000)));
    }

    /** A serializable object whose lambda reads its field. */
    static final class Holder implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int code;

        Holder(int code) {
            this.code = code;
        }

        SerializableRunnable task() {
            return () -> System.exit(code);
        }
    }
}
