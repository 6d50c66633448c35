package org.multiprocessing4j.internal.launch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.control.Bootstrap;

/** The stderr pump takes a child's running marker out of the stream, however the reads cut it. */
class StderrPumpTest {
    private static final byte[] MARKER = Bootstrap.RUNNING_MARKER;

    /** Returns at most {@code piece} bytes per read, as a pipe may. */
    private static InputStream inPieces(byte[] bytes, int piece) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, piece));
            }
        };
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static StderrPump pump(byte[] input, int piece, boolean lookForMarker, ByteArrayOutputStream console) {
        StderrPump pump = StderrPump.copying(inPieces(input, piece), console, "test-stderr", lookForMarker);
        pump.tail(10_000); // waits for the end of the stream
        return pump;
    }

    @Test
    void theMarkerIsTakenOutWhereverTheReadsCutIt() {
        byte[] before = ascii("NOTE: Picked up JDK_JAVA_OPTIONS: -Xmx1g\n");
        byte[] after = ascii("Exception in thread \"main\" boom\n");
        byte[] input = concat(before, MARKER, after);
        for (int piece = 1; piece <= input.length; piece++) {
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            StderrPump pump = pump(input, piece, true, console);
            assertArrayEquals(concat(before, after), console.toByteArray(), "reads of " + piece + " bytes");
            assertTrue(pump.sawMarker());
            assertTrue(pump.tail(0).endsWith("boom"), pump.tail(0));
        }
    }

    @Test
    void whatOnlyBeginsLikeTheMarkerIsPassedOnWhole() {
        byte[] almost = concat(java.util.Arrays.copyOf(MARKER, MARKER.length - 2), ascii("x\n"));
        byte[] input = concat(almost, new byte[] {0, 0}, MARKER, ascii("tail"), MARKER);
        for (int piece : new int[] {1, 3, 8192}) {
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            StderrPump pump = pump(input, piece, true, console);
            assertArrayEquals(concat(almost, new byte[] {0, 0}, ascii("tail"), MARKER), console.toByteArray(),
                    "only the first marker is the child's: later bytes are the task's own");
            assertTrue(pump.sawMarker());
        }
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        StderrPump cut = pump(java.util.Arrays.copyOf(MARKER, 5), 2, true, console);
        assertArrayEquals(java.util.Arrays.copyOf(MARKER, 5), console.toByteArray(), "a stream ending mid-marker");
        assertFalse(cut.sawMarker());
    }

    @Test
    void aJvmThatFailedToStartWroteNoMarkerAndItsStderrIsKept() {
        byte[] input = ascii("Unrecognized VM option 'NoSuchOption'\nError: Could not create the Java Virtual Machine.\n");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        StderrPump pump = pump(input, 7, true, console);
        assertArrayEquals(input, console.toByteArray());
        assertFalse(pump.sawMarker());
        assertTrue(pump.tail(0).contains("Could not create the Java Virtual Machine"), pump.tail(0));
    }

    @Test
    void aPumpThatLooksForNoMarkerCopiesEverything() {
        byte[] input = concat(MARKER, new byte[20_000]);
        new Random(3).nextBytes(input);
        System.arraycopy(MARKER, 0, input, 0, MARKER.length);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        StderrPump pump = pump(input, 4096, false, console);
        assertArrayEquals(input, console.toByteArray());
        assertFalse(pump.sawMarker(), "a child with a socket ASSIGN writes none: nothing is taken out");
    }
}
