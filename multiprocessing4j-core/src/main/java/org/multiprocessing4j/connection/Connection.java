package org.multiprocessing4j.connection;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.multiprocessing4j.internal.wire.Selection;

/**
 * One end of a two-way (or one-way) message channel between processes: Python's
 * {@code multiprocessing.connection.Connection}. Messages are whole: {@link #send} and {@link #sendBytes} each
 * make one message, and {@link #recv}/{@link #recvBytes} return one message, of any size from 0 bytes to 2 GiB - 9
 * bytes (a Java array's limit).
 *
 * <p><b>Threads.</b> Any number of threads may send at once: their messages never interleave. Any number may
 * receive at once: each message goes to exactly one of them. A sender never waits for a receiver of the same
 * connection.
 *
 * <p><b>Interrupts.</b> A thread interrupted while it waits for a message to start (in {@code recv…} or
 * {@code poll}), or for the first byte of its own message to leave (in {@code send…}), gets
 * {@link java.io.InterruptedIOException} with its interrupt status still set; the connection stays open for every
 * other thread and loses nothing. Once a message is under way the interrupt is deferred until it has passed whole,
 * so an interrupt never breaks the framing of the stream.
 *
 * <p><b>End of stream.</b> Once the other end is closed (every process's copy of it, for a {@link Pipe}) or its
 * process has ended, and every message it sent has been received, {@code recv…} throws
 * {@link java.io.EOFException} and {@link #poll()} returns true (so that the next {@code recv} can say so). A send
 * to a peer that is gone throws an {@link IOException}; it never blocks.
 *
 * <p><b>Received objects</b> are deserialized with the context class loader of the receiving thread, through
 * the deserialization filter of {@link SerialFilter}; nothing is deserialized from a peer that has not proved it
 * knows the auth key.
 */
public interface Connection extends AutoCloseable {

    /**
     * Sends one object, serialized (lambdas assigned to a serializable interface included).
     *
     * @param obj the object, may be {@code null}
     * @throws java.io.NotSerializableException if the object graph holds something that is not serializable; the
     *     message names the class, and nothing was sent
     * @throws java.io.InterruptedIOException if interrupted before the message started to leave
     * @throws IOException if the connection is closed, not writable, or the peer is gone
     */
    void send(Object obj) throws IOException;

    /**
     * Receives one object sent by {@link #send}, waiting until one arrives.
     *
     * @param <T> the type the caller expects (a wrong guess fails with {@link ClassCastException} at the caller)
     * @return the object
     * @throws java.io.EOFException if the other end is closed and nothing is left
     * @throws java.io.InvalidClassException if the deserialization filter refuses a class (named in the message),
     *     or a class is missing in this process
     * @throws java.io.InterruptedIOException if interrupted before a message started to arrive
     * @throws IOException if the connection is closed, not readable, or the stream is corrupt
     */
    <T> T recv() throws IOException;

    /**
     * Sends a whole array as one message.
     *
     * @param buf the bytes
     * @throws IOException as {@link #send}
     */
    default void sendBytes(byte[] buf) throws IOException {
        sendBytes(buf, 0, buf.length);
    }

    /**
     * Sends {@code size} bytes of {@code buf} from {@code off} as one message.
     *
     * @param buf the bytes
     * @param off the first byte
     * @param size how many bytes
     * @throws IndexOutOfBoundsException if the range is outside the array
     * @throws IOException as {@link #send}
     */
    void sendBytes(byte[] buf, int off, int size) throws IOException;

    /**
     * Receives one message as bytes, waiting until one arrives.
     *
     * @return the message
     * @throws IOException as {@link #recv}
     */
    byte[] recvBytes() throws IOException;

    /**
     * Receives one message of at most {@code maxLength} bytes.
     *
     * @param maxLength the longest message accepted
     * @return the message
     * @throws IOException if the message is longer (as in Python, this connection is no longer readable after
     *     that), or as {@link #recv}
     */
    byte[] recvBytes(int maxLength) throws IOException;

    /**
     * Receives one message into {@code buf} from index 0.
     *
     * @param buf where the message goes
     * @return its length
     * @throws BufferTooShortException if it does not fit; the message is consumed and carried by the exception
     * @throws IOException as {@link #recv}
     */
    default int recvBytesInto(byte[] buf) throws IOException {
        return recvBytesInto(buf, 0);
    }

    /**
     * Receives one message into {@code buf} from index {@code off}.
     *
     * @param buf where the message goes
     * @param off the first index to fill
     * @return its length
     * @throws BufferTooShortException if it does not fit; the message is consumed and carried by the exception
     * @throws IndexOutOfBoundsException if {@code off} is outside {@code 0..buf.length}
     * @throws IOException as {@link #recv}
     */
    int recvBytesInto(byte[] buf, int off) throws IOException;

    /**
     * Tells, without waiting, whether there is something to receive.
     *
     * @return true if a message has started to arrive, or the other end is closed (the next receive will say so)
     * @throws IOException if the connection is closed or not readable
     */
    default boolean poll() throws IOException {
        return poll(Duration.ZERO);
    }

    /**
     * Waits up to {@code timeout} for something to receive.
     *
     * @param timeout how long to wait; {@code null} waits without limit
     * @return true if a message has started to arrive, or the other end is closed; false on time-out
     * @throws java.io.InterruptedIOException if interrupted while waiting
     * @throws IOException if the connection is closed or not readable
     */
    boolean poll(Duration timeout) throws IOException;

    /** @return whether this process's copy of the end is closed */
    boolean isClosed();

    /** @return whether this end may receive */
    boolean isReadable();

    /** @return whether this end may send */
    boolean isWritable();

    /**
     * Closes this process's copy of the end; idempotent. A thread waiting on it gets an {@link IOException}.
     */
    @Override
    void close();

    /**
     * Waits until at least one of the connections has something to receive, or the time-out passes: Python's
     * {@code multiprocessing.connection.wait}. A connection whose other end is closed counts as ready.
     *
     * @param connections the connections, made by this library
     * @param timeout how long to wait; {@code null} waits without limit
     * @return the ready ones, in the order given; empty on time-out
     * @throws IllegalArgumentException if a connection was not made by this library
     * @throws java.io.InterruptedIOException if interrupted while waiting
     * @throws IOException if a connection is closed
     */
    static List<Connection> select(Collection<? extends Connection> connections, Duration timeout)
            throws IOException {
        return Selection.select(connections, timeout);
    }
}
