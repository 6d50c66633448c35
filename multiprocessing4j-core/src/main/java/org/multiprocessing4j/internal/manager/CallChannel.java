package org.multiprocessing4j.internal.manager;

import java.io.IOException;
import org.multiprocessing4j.connection.BufferTooShortException;
import org.multiprocessing4j.connection.Connection;
import org.multiprocessing4j.internal.codec.ByteSink;

/**
 * One side of a manager connection with what its round trips reuse: the buffer the next outgoing frame is written
 * into, the array the next incoming one is received into, and the side's {@link ReplySpin}. Used by one thread at
 * a time: a client thread that borrowed it from its {@link ClientSession}, or the server's thread of the
 * connection.
 */
final class CallChannel {
    /** A receiving array that grew past this is not kept for the next message. */
    private static final int KEEP = 64 * 1024;

    final Connection connection;
    final ByteSink out = new ByteSink(128, 64 * 1024);
    final ReplySpin spin = new ReplySpin();
    /**
     * Large enough for a batch of a hundred small calls: a frame longer than the array takes the receive's
     * too-short path, which a young server's compiled receive had never seen (it recompiled for ~70 ms of C2 at a
     * client's first batch).
     */
    private byte[] in = new byte[8192];
    /** The array the last reply is in: {@link #in}, or a message too long for it. */
    private byte[] reply;

    CallChannel(Connection connection) {
        this.connection = connection;
    }

    /** Sends the frame in {@link #out}. @throws IOException as {@link Connection#sendBytes} */
    void send() throws IOException {
        connection.sendBytes(out.array(), 0, out.size());
    }

    /**
     * Receives the next message; it is then in {@link #reply()}.
     *
     * @return its length
     * @throws IOException as {@link Connection#recvBytesInto}
     */
    int receive() throws IOException {
        try {
            int n = connection.recvBytesInto(in, 0);
            reply = in;
            return n;
        } catch (BufferTooShortException e) {
            byte[] m = e.message();
            if (m.length <= KEEP) {
                in = new byte[Math.max(m.length, Math.min(in.length * 2, KEEP))];
            }
            reply = m;
            return m.length;
        }
    }

    /**
     * @param length the last received message's length
     * @return the message in an array of its own, which later receives do not overwrite
     */
    byte[] takeReply(int length) {
        return reply == in ? java.util.Arrays.copyOf(in, length) : reply;
    }

    /** @return the array the last received message is in (from index 0) */
    byte[] reply() {
        return reply;
    }
}
