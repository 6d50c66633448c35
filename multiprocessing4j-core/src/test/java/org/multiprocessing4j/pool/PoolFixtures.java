package org.multiprocessing4j.pool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.multiprocessing4j.TestTimeouts;

/** Tasks and helpers of the pool tests; static, so the lambdas capture only values. */
final class PoolFixtures {
    private PoolFixtures() {
    }

    static int inc(int x) {
        return x + 1;
    }

    /** Integers, Longs, Doubles, a String and a null: results of every kind the pool sends, some chunks mixed. */
    static Object mixed(int x) {
        if (x == 75) {
            return "s" + x;
        }
        if (x == 91) {
            return null;
        }
        return x < 30 ? (Object) (x * 2) : x < 60 ? (Object) (x * 3L) : (Object) (x / 2.0);
    }

    static long pid() {
        return ProcessHandle.current().pid();
    }

    static void append(String file, String line) throws IOException {
        Files.writeString(Path.of(file), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** Writes this worker's pid to the file, then sleeps for a long time. */
    static long announceAndSleep(String file) throws Exception {
        append(file, String.valueOf(pid()));
        Thread.sleep(60_000);
        return pid();
    }

    static String awaitLine(Path file, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                String text = Files.readString(file).strip();
                if (!text.isEmpty()) {
                    return text.lines().findFirst().orElseThrow();
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("file " + file + " got no line within " + timeout);
    }

    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TestTimeouts.CHILD_STEP.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + TestTimeouts.CHILD_STEP + ": " + what);
            }
            Thread.sleep(20);
        }
    }

    static boolean dead(long pid) {
        return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
    }
}
