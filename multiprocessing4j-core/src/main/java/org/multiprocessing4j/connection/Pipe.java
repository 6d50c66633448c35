package org.multiprocessing4j.connection;

import org.multiprocessing4j.internal.pipe.PipeEnd;

/**
 * A pair of connected {@link Connection}s on this machine: Python's {@code multiprocessing.Pipe()}. Messages
 * travel through shared memory (a ring per direction in a segment under {@code /dev/shm}, or the temp dir), not
 * through the kernel.
 *
 * <p>{@link #open()} makes a two-way pipe; {@link #open(boolean) open(false)} a one-way one whose {@link #left()}
 * only receives and {@link #right()} only sends (Python's {@code conn1, conn2}).
 *
 * <p><b>Copies.</b> An end is serializable: captured by a child's target, or sent over another connection, it
 * arrives as a working copy in the receiving process. Each process holds its own copies; {@code close()} closes
 * only the one it is called on. The other side sees {@link java.io.EOFException} once every copy of this end is
 * closed or its process has ended, and every message has been received. A copy counts from the moment it is
 * serialized ({@code start()} or {@code send()} returns); a copy that no process ever deserializes stops counting
 * after 60 s. So, as in Python, a parent closes its copy of the child's end after {@code start()}.
 *
 * <p><b>If a participating process dies</b>: between messages, it merely stops counting as a holder (end of stream
 * for the other side if it was the last, noticed within 250 ms). In the middle of sending or receiving a message, it
 * leaves that direction broken: every later call there throws an {@link java.io.IOException} naming the cause.
 *
 * <p><b>Waiting.</b> A receiver (or a sender facing a full ring) spins for some microseconds, then sleeps until the
 * other side wakes it through its process's doorbell: an idle end costs no CPU.
 *
 * <p><b>Cross-process visibility.</b> Everything a process did before {@code send} returned happens-before what
 * the receiving process does after the matching {@code recv} returns (release and acquire on the ring's counters).
 */
public final class Pipe {
    private final Connection left;
    private final Connection right;

    private Pipe(Connection left, Connection right) {
        this.left = left;
        this.right = right;
    }

    /**
     * Opens a two-way pipe.
     *
     * @return the pipe
     * @throws IllegalStateException if the shared memory cannot be made (a full {@code /dev/shm})
     */
    public static Pipe open() {
        return open(true);
    }

    /**
     * Opens a pipe.
     *
     * @param duplex true for a two-way pipe; false for a one-way one (left receives, right sends)
     * @return the pipe
     * @throws IllegalStateException if the shared memory cannot be made (a full {@code /dev/shm})
     */
    public static Pipe open(boolean duplex) {
        PipeEnd[] ends = PipeEnd.open(duplex);
        return new Pipe(ends[0], ends[1]);
    }

    /** @return the left end (Python's {@code conn1}): it receives, and sends too if the pipe is two-way */
    public Connection left() {
        return left;
    }

    /** @return the right end (Python's {@code conn2}): it sends, and receives too if the pipe is two-way */
    public Connection right() {
        return right;
    }
}
