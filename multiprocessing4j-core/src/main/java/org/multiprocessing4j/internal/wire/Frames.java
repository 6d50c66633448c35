package org.multiprocessing4j.internal.wire;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.StreamCorruptedException;

/**
 * Length-prefixed frames on a byte stream: a 4-byte big-endian length, then that many bytes.
 * A length that is negative or above the reader's limit is refused before anything is allocated, so a forged
 * length can never cause an {@link OutOfMemoryError}.
 */
public final class Frames {
    private Frames() {
    }

    /**
     * Writes one frame and flushes it.
     *
     * @param out the stream
     * @param payload the bytes of the frame
     * @throws IOException if the stream fails
     */
    public static void write(DataOutputStream out, byte[] payload) throws IOException {
        out.writeInt(payload.length);
        out.write(payload);
        out.flush();
    }

    /**
     * Reads one frame.
     *
     * @param in the stream
     * @param maxLength the largest length accepted
     * @return the payload
     * @throws EOFException if the stream ends before a frame starts or in the middle of one
     * @throws StreamCorruptedException if the length is negative or above {@code maxLength}
     * @throws IOException if the stream fails
     */
    public static byte[] read(DataInputStream in, int maxLength) throws IOException {
        int length = in.readInt();
        checkLength(length, maxLength);
        byte[] payload = new byte[length];
        in.readFully(payload);
        return payload;
    }

    /**
     * Refuses a frame length outside {@code 0..maxLength}.
     *
     * @param length the length read from the wire
     * @param maxLength the largest length accepted
     * @throws StreamCorruptedException if the length is refused
     */
    public static void checkLength(int length, int maxLength) throws StreamCorruptedException {
        if (length < 0 || length > maxLength) {
            throw new StreamCorruptedException("frame length out of range: length=" + length + " max=" + maxLength
                    + " (the peer is not a multiprocessing4j endpoint of this version, or the stream is corrupt)");
        }
    }
}
