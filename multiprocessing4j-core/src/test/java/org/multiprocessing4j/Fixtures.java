package org.multiprocessing4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/** Tasks and helpers that the process tests send to children; static, so the lambdas capture only values. */
final class Fixtures {
    private Fixtures() {
    }

    /** Appends a line to a file, from any process. */
    static void append(Path file, String line) throws IOException {
        Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** Waits until the file holds at least {@code lines} lines. */
    static String awaitLines(Path file, int lines, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                String text = Files.readString(file);
                if (text.lines().count() >= lines) {
                    return text;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("file " + file + " did not reach " + lines + " lines within " + timeout
                + "; it holds: " + (Files.exists(file) ? Files.readString(file) : "(missing)"));
    }

    static void sleepForever() throws InterruptedException {
        Thread.sleep(Long.MAX_VALUE);
    }
}
