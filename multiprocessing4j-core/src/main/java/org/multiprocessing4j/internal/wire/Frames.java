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
 *
 * <pre>
 * Overview (docs/wire-protocol.md, "Framing"). Data connections use the long form of the header:
 *   length 0 .. 2^31-1     4 bytes: the length, big-endian
 *   longer                 4 bytes: -1 (0xFFFFFFFF), then 8 bytes: the length, big-endian
 * (CPython's scheme.) Any other negative first word is a corrupt stream.
 * </pre>
 */
public final class Frames {
    /** The first header word that announces an 8-byte length. */
    public static final int LONG_LENGTH = -1;
    /** The largest header: the marker and an 8-byte length. */
    public static final int MAX_HEADER = 12;

    private Frames() {
    }

    /**
     * Puts the header of a data frame into a buffer.
     *
     * @param buffer a buffer with at least {@link #MAX_HEADER} bytes remaining
     * @param length the payload length, not negative
     */
    public static void putHeader(java.nio.ByteBuffer buffer, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative frame length: length=" + length);
        }
        if (length <= Integer.MAX_VALUE) {
            buffer.putInt((int) length);
        } else {
            buffer.putInt(LONG_LENGTH);
            buffer.putLong(length);
        }
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
     * @param b an array
     * @param at where a big-endian int starts in it
     * @return the int
     */
    public static int getInt(byte[] b, int at) {
        return (b[at] << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    /**
     * Writes {@code v} big-endian into {@code b} at {@code at}; the counterpart of {@link #getInt}.
     *
     * @param b the array
     * @param at where the int starts
     * @param v the int
     */
    public static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
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
