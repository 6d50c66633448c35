package org.multiprocessing4j.connection;

import java.io.IOException;

/**
 * Thrown by {@link Connection#recvBytesInto} when the message does not fit into the buffer (Python's
 * {@code BufferTooShort}). The message has been consumed; {@link #message()} holds it whole.
 */
public class BufferTooShortException extends IOException {
    private static final long serialVersionUID = 1L;

    private final byte[] message;

    /**
     * Creates the exception.
     *
     * @param message the message that did not fit
     * @param room the room that the buffer had from its offset
     */
    public BufferTooShortException(byte[] message, int room) {
        super("message does not fit into the buffer: length=" + message.length + " room=" + room
                + " (the message is in BufferTooShortException.message())");
        this.message = message;
    }

    /** @return the whole message that did not fit */
    public byte[] message() {
        return message;
    }
}
