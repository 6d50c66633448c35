package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Context.withPreload: JVMs made ready ahead of time initialize the named classes before start() takes them. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PreloadTest {
    @TempDir
    Path dir;

    /** A context whose ready JVMs (one at a time) append their pid to {@code marker} while they wait. */
    private static Context preloading(Path marker) {
        return Multiprocessing.getContext(StartMethod.PRESTART).withReadyJvms(1)
                .withJvmOptions("-Dmp4j.test.preloadFile=" + marker)
                .withPreload(PreloadProbe.class.getName());
    }

    private static ChildProcess runEmpty(Context ctx) throws InterruptedException {
        ChildProcess p = ctx.process(() -> { });
        p.start();
        p.join();
        return p;
    }

    @Test
    void aReadyJvmHasRunThePreloadedStaticInitializerBeforeItIsGivenAProcess() throws Exception {
        Path marker = dir.resolve("preloaded");
        Context ctx = preloading(marker);
        runEmpty(ctx);
        // the JVM made ready behind the first start has initialized the class on its own
        String preloadedIn = Fixtures.awaitLines(marker, 1, TestTimeouts.CHILD_STEP).strip();
        ChildProcess second = runEmpty(ctx);
        assertEquals(0, second.exitCode());
        assertEquals(preloadedIn, String.valueOf(second.pid()));
    }

    @Test
    void aStartServedByAReadyJvmStillHasItsReplacementMadeReadyForTheNext() throws Exception {
        Path marker = dir.resolve("preloaded");
        Context ctx = preloading(marker);
        runEmpty(ctx);
        for (int served = 1; served <= 3; served++) {
            // the replacement of the JVM the previous start took (its refill may come a little later) is ready
            String[] ready = Fixtures.awaitLines(marker, served, TestTimeouts.CHILD_STEP).strip().split("\\R");
            ChildProcess next = runEmpty(ctx);
            assertEquals(0, next.exitCode());
            assertEquals(ready[served - 1], String.valueOf(next.pid()), "start " + served + " took a ready JVM");
        }
    }

    @Test
    void aClassThatCannotBePreloadedIsSkippedAndTheProcessesStillRun() throws Exception {
        Context ctx = Multiprocessing.getContext(StartMethod.PRESTART).withReadyJvms(1)
                .withPreload("org.multiprocessing4j.NoSuchClassAnywhere");
        for (int i = 0; i < 3; i++) {
            ChildProcess p = ctx.process(() -> { });
            p.start();
            p.join();
            assertEquals(0, p.exitCode());
        }
    }

    @Test
    void aNameThatCannotBeAClassIsRefused() {
        Context ctx = Multiprocessing.getContext(StartMethod.PRESTART);
        assertThrows(IllegalArgumentException.class, () -> ctx.withPreload("a,b"));
        assertThrows(IllegalArgumentException.class, () -> ctx.withPreload(" "));
    }
}
