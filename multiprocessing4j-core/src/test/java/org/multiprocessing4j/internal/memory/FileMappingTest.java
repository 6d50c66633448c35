package org.multiprocessing4j.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.StartMethod;

/**
 * Mapping and unmapping segments: close() unmaps at once unless a buffer was handed out, on every JVM; on JDK 22+
 * through the FFM API, so that JDK 24+ print no {@code sun.misc.Unsafe} warning.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FileMappingTest {
    private static final Path JAVA25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    static boolean mapped(Path file) throws IOException {
        String path = file.toString();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (line.endsWith(path) || line.endsWith(path + " (deleted)")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void closeUnmapsAtOnceButAHandedOutBufferKeepsTheMappingUsable() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "no /proc/self/maps");
        Segment plain = Segment.create(8192, 0);
        Path plainFile = SegmentFiles.fileOf(plain.name());
        plain.setIntVolatile(0, 7);
        assertTrue(mapped(plainFile), "mapped while open");
        plain.close();
        assertFalse(mapped(plainFile), "unmapped by close");

        Segment exported = Segment.create(8192, 0);
        Path exportedFile = SegmentFiles.fileOf(exported.name());
        ByteBuffer data = exported.data();
        data.putLong(8, 42L);
        exported.close();
        assertTrue(mapped(exportedFile), "a buffer was handed out: left to the garbage collector");
        assertEquals(42L, data.getLong(8), "the handed-out buffer still reads the memory after close");
        data.putLong(8, 43L);
        assertEquals(43L, data.slice().order(data.order()).getLong(8));
    }

    @Test
    void aClosedSegmentWhoseBufferWasHandedOutIsUnmappedOnceTheBufferIsUnreachable() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "no /proc/self/maps");
        Path file = closeWithABufferHandedOut();
        assertTrue(mapped(file), "a buffer was handed out: left to the garbage collector");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (mapped(file) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertFalse(mapped(file), "still mapped though no buffer refers to it: " + file);
    }

    private static Path closeWithABufferHandedOut() {
        Segment s = Segment.create(8192, 0);
        ByteBuffer data = s.data().slice(); // a slice of a slice: both keep the mapping reachable
        s.close();
        data.putInt(0, 1);
        return SegmentFiles.fileOf(s.name());
    }

    @Test
    void onJdk25ASegmentClosedInAChildIsUnmappedWithoutUnsafe() throws Exception {
        assumeTrue(Files.isExecutable(JAVA25), "no Temurin 25 on this machine");
        // deny: a call to sun.misc.Unsafe::invokeCleaner throws UnsupportedOperationException instead of warning
        Context ctx = Multiprocessing.getContext(StartMethod.SPAWN).withJavaExecutable(JAVA25)
                .withJvmOptions("--sun-misc-unsafe-memory-access=deny");
        ChildProcess p = ctx.process(() -> {
            if (Runtime.version().feature() != 25 || !FileMapping.FFM) {
                System.exit(3);
            }
            for (int i = 0; i < 3; i++) {
                Segment s = Segment.create(64 * 1024, 0);
                Path file = SegmentFiles.fileOf(s.name());
                s.setLongVolatile(0, i);
                if (!mapped(file)) {
                    System.exit(4);
                }
                s.close();
                if (mapped(file)) {
                    System.exit(5); // still mapped after close
                }
            }
            System.exit(42);
        });
        p.start();
        p.join();
        assertEquals(42, p.exitCode(), "3: not JDK 25 or no FFM; 4: not mapped; 5: not unmapped; 1: an exception "
                + "(Unsafe denied?) on the child's stderr");
    }

    @Test
    void onJdk25ASegmentsCreatorPrintsNothingOnStderr() throws Exception {
        assumeTrue(Files.isExecutable(JAVA25), "no Temurin 25 on this machine");
        Process p = new ProcessBuilder(JAVA25.toString(), "-cp", System.getProperty("java.class.path"),
                CreateCloseMain.class.getName()).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), err);
        assertFalse(new String(out, StandardCharsets.UTF_8).isBlank());
        assertFalse(err.contains("sun.misc.Unsafe"), err);
        assertFalse(err.contains("WARNING"), err);
    }
}
