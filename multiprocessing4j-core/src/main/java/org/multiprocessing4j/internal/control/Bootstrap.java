package org.multiprocessing4j.internal.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What a new child JVM needs to call its parent back, handed to it on its standard input (never on the command
 * line, which any local user can read). The parent writes one line and closes the pipe, so the child's stdin is
 * empty afterwards.
 *
 * <pre>
 * Line: "mp4j4 " + socket path (Base64 of UTF-8) + " " + launch secret (Base64) + " " + mode + " " + payload + "\n"
 * mode:    "spawn"  a fresh JVM whose ASSIGN comes over the socket after the hand-shake (a process too large for
 *                  the line); payload: a probe that it decodes while it connects (WarmupProbe.forSpawn), so that its
 *                  decoder is warm when the ASSIGN comes
 *          "direct" a fresh JVM given its process here; payload: the ASSIGN (ControlMessage.encode). It decodes and
 *                  runs the process at once while it connects in the background: the pipe is private to the parent
 *                  and this child, so there is nobody to authenticate on it. It writes RUNNING_MARKER to its
 *                  stderr first, so the parent can tell a task that ended its JVM before it connected from a JVM
 *                  that failed to start
 *          "ready"  a JVM started ahead of time: warm up, then wait for the ASSIGN; payload: the shapes of the
 *                  lambdas its parent sent lately (LambdaShape.encodeAll), whose classes it makes while it waits
 * payload: Base64; "-" for none
 * </pre>
 *
 * @param socketPath the parent's listener for this child
 * @param secret the launch secret that both sides prove to know in the hand-shake
 * @param mode how the child gets its process
 * @param payload what the mode says, empty for none
 */
public record Bootstrap(String socketPath, byte[] secret, Mode mode, byte[] payload) {
    /** How a child gets its process. */
    public enum Mode {
        /** Over the socket, after the hand-shake; the payload is a probe to decode meanwhile. */
        SPAWN("spawn"),
        /** In the bootstrap line itself; the payload is the ASSIGN. */
        DIRECT("direct"),
        /** Over the socket, whenever the parent starts a process; the payload is lambda shapes to prepare. */
        READY("ready");

        private final String word;

        Mode(String word) {
            this.word = word;
        }

        /** The mode the line names; a loop, not {@code valueOf}, which reaches {@code values()} reflectively. */
        private static Mode named(String word) throws IOException {
            for (Mode m : values()) {
                if (m.word.equals(word)) {
                    return m;
                }
            }
            throw new IOException("malformed bootstrap line: unknown mode");
        }
    }

    /**
     * What a child given its process directly writes to its stderr before it decodes the process: a NUL, then a
     * text that a JVM's own messages never hold. The parent's stderr pump takes it out of the stream.
     */
    public static final byte[] RUNNING_MARKER = "\u0000mp4j child runs\u0000\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * The system property that names, comma-separated, the classes a JVM started ahead of time loads and initializes
     * while it waits ({@code Context.withPreload}); not inherited by the child's own children.
     */
    public static final String PRELOAD_PROPERTY = "mp4j.internal.preload";
    private static final String MAGIC = "mp4j4";
    /** The largest ASSIGN given in the line: the line stays within a pipe's buffer on Linux and macOS alike. */
    private static final int MAX_DIRECT = 11 * 1024;
    private static final int MAX_LINE = 16384;

    /**
     * Writes the line and closes the stream.
     *
     * @param stdin the child's standard input
     * @throws IOException if the child has already died
     */
    public void writeTo(OutputStream stdin) throws IOException {
        Base64.Encoder b64 = Base64.getEncoder();
        String line = MAGIC + ' ' + b64.encodeToString(socketPath.getBytes(StandardCharsets.UTF_8)) + ' '
                + b64.encodeToString(secret) + ' ' + mode.word + ' '
                + (payload.length == 0 ? "-" : b64.encodeToString(payload)) + '\n';
        try (stdin) {
            stdin.write(line.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /**
     * Reads the line from standard input.
     *
     * @param stdin the standard input
     * @return the bootstrap
     * @throws IOException if the line is missing or malformed (this JVM was not started by multiprocessing4j)
     */
    public static Bootstrap readFrom(InputStream stdin) throws IOException {
        // the parent closes the pipe after the line: one bulk read to the end (a read per byte, interpreted in a
        // fresh JVM, took ~2 ms for a line with a probe)
        byte[] all = stdin.readNBytes(MAX_LINE + 1);
        int end = 0;
        while (end < all.length && all[end] != '\n') {
            end++;
        }
        if (end == all.length || end > MAX_LINE) {
            throw new IOException("no bootstrap line on standard input: this class is started by "
                    + "multiprocessing4j's ChildProcess.start(), not by hand");
        }
        String line = new String(all, 0, end, StandardCharsets.US_ASCII);
        String[] parts = line.split(" ");
        if (parts.length != 5 || !MAGIC.equals(parts[0])) {
            throw new IOException("malformed bootstrap line (another multiprocessing4j version?): parts=" + parts.length);
        }
        Mode mode = Mode.named(parts[3]);
        Base64.Decoder b64 = Base64.getDecoder();
        return new Bootstrap(new String(b64.decode(parts[1]), StandardCharsets.UTF_8), b64.decode(parts[2]),
                mode, "-".equals(parts[4]) ? new byte[0] : b64.decode(parts[4]));
    }

    /**
     * @param assign an encoded ASSIGN
     * @return whether it may travel in the line ({@link Mode#DIRECT})
     */
    public static boolean fitsDirect(byte[] assign) {
        return assign.length <= MAX_DIRECT;
    }

    /**
     * @return the ASSIGN of a {@link Mode#DIRECT} bootstrap
     * @throws IOException if the payload is not one
     */
    public ControlMessage.Assign assign() throws IOException {
        if (mode == Mode.DIRECT && ControlMessage.decode(payload) instanceof ControlMessage.Assign a) {
            return a;
        }
        throw new IOException("the bootstrap line carries no process: mode=" + mode);
    }

    /** Tells the parent, through this child's stderr, that it has its process and is about to run it. */
    public static void announceRunning() {
        System.err.write(RUNNING_MARKER, 0, RUNNING_MARKER.length);
        System.err.flush();
    }
}
