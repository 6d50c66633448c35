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
 * Line: "mp4j3 " + socket path (Base64 of UTF-8) + " " + launch secret (Base64) + " " + mode + " " + warm-up + "\n"
 * mode:    "spawn" (the ASSIGN follows at once) or "ready" (a JVM started ahead of time: warm up, then wait)
 * warm-up: Base64; "-" for none. For "spawn", an encoded probe process that the child decodes while it connects, so
 *          that its decoder is warm when the ASSIGN comes, without loading an encoder of its own (in the form the
 *          ASSIGN will take). For "ready", the shapes of the lambdas its parent sent lately (LambdaShape.encodeAll),
 *          whose classes it makes while it waits.
 * </pre>
 *
 * @param socketPath the parent's listener for this child
 * @param secret the launch secret that both sides prove to know in the hand-shake
 * @param ready whether the child is started ahead of time
 * @param warmup the probe to decode (spawn) or the lambda shapes to prepare (ready), empty for none
 */
public record Bootstrap(String socketPath, byte[] secret, boolean ready, byte[] warmup) {
    /**
     * The system property that names, comma-separated, the classes a JVM started ahead of time loads and initializes
     * while it waits ({@code Context.withPreload}); not inherited by the child's own children.
     */
    public static final String PRELOAD_PROPERTY = "mp4j.internal.preload";
    private static final String MAGIC = "mp4j3";
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
                + b64.encodeToString(secret) + ' ' + (ready ? "ready" : "spawn") + ' '
                + (warmup.length == 0 ? "-" : b64.encodeToString(warmup)) + '\n';
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
        Base64.Decoder b64 = Base64.getDecoder();
        return new Bootstrap(new String(b64.decode(parts[1]), StandardCharsets.UTF_8), b64.decode(parts[2]),
                "ready".equals(parts[3]), "-".equals(parts[4]) ? new byte[0] : b64.decode(parts[4]));
    }
}
