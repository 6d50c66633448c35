package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM made ready ahead of time is told the shapes of the lambdas its parent sent before, and makes their classes
 * while it waits, without running any code of the class that holds them: that class initializes in the JVM that
 * runs the process, when the process runs, as without the hint.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReadyLambdaTest {
    @TempDir
    Path dir;

    @Test
    void aReadyJvmPreparesALambdaSentBeforeWithoutInitializingItsClass() throws Exception {
        Path hosts = dir.resolve("hosts");
        Path warmed = dir.resolve("warmed");
        Path out = dir.resolve("out");
        // PreloadProbe's initializer runs after the lambda classes are made: its line says the warm-up is over
        Context ctx = Multiprocessing.getContext(StartMethod.PRESTART).withReadyJvms(1)
                .withJvmOptions("-Dmp4j.test.hostFile=" + hosts, "-Dmp4j.test.preloadFile=" + warmed)
                .withPreload(PreloadProbe.class.getName());
        ChildProcess first = ctx.process(LambdaHost.task(out.toString(), "first"));
        first.start();
        first.join();
        String spare = Fixtures.awaitLines(warmed, 1, TestTimeouts.CHILD_STEP).strip();
        assertEquals(List.of(String.valueOf(first.pid())), Files.readAllLines(hosts),
                "only the JVM that ran a process has initialized LambdaHost; the ready one " + spare + " has not");

        ChildProcess second = ctx.process(LambdaHost.task(out.toString(), "second"));
        second.start();
        second.join();
        assertEquals(0, second.exitCode());
        assertEquals(spare, String.valueOf(second.pid()), "the second start took the prepared JVM");
        assertEquals(List.of("first", "second"), Files.readAllLines(out));
        assertEquals(List.of(String.valueOf(first.pid()), spare), Files.readAllLines(hosts));
    }
}
