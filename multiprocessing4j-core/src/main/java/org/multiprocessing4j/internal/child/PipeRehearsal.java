package org.multiprocessing4j.internal.child;

import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.multiprocessing4j.connection.Connection;
import org.multiprocessing4j.internal.pipe.PipeEnd;

/**
 * The pipes' part of a ready JVM's rehearsal ({@link Rehearsals}), a light one: a two-way pipe whose name is deleted
 * at once ({@link PipeEnd#openPrivate()}), between this thread and one of its own that follows the same script (a
 * few dozen objects and short byte messages, each streamed and in round trips). It does not run the paths until
 * they are compiled (that cost every program that uses a pipe, a manager's clients included, ~0.3 s of CPU per ready
 * JVM, and gave the pipe benches nothing); it takes the first use of a pipe off the process's path: the classes
 * loaded and linked, the first mapping, the first executions. A child's first message to its parent came 20-25 ms
 * after start() without it, 3.6-5 ms with it. Closing both ends releases the pipe; a stop closes this end early,
 * which ends the other thread at its next receive.
 */
final class PipeRehearsal implements Rehearsal {
    /** Objects, then short byte messages, streamed one way. */
    static final int STREAMED = Integer.getInteger("mp4j.rehearsal.pipeItems", 64);
    /** Round trips of each kind: the waits and the wakes. */
    private static final int ROUND_TRIPS = Math.max(8, STREAMED / 4);
    private static final byte[] SHORT = new byte[64];

    @Override
    public List<String> rehearse(BooleanSupplier stopped) throws IOException, InterruptedException {
        PipeEnd[] pipe = PipeEnd.openPrivate();
        Connection here = pipe[0];
        Thread other = new Thread(() -> follow(pipe[1]), "mp4j-rehearsal-pipe");
        other.setDaemon(true);
        try {
            other.start();
            for (int i = 0; i < STREAMED && !stopped.getAsBoolean(); i++) {
                here.send(Rehearsal.item(i));
            }
            for (int i = 0; i < ROUND_TRIPS && !stopped.getAsBoolean(); i++) {
                here.send(Rehearsal.item(i));
                here.recv();
            }
            for (int i = 0; i < STREAMED && !stopped.getAsBoolean(); i++) {
                here.sendBytes(SHORT);
            }
            for (int i = 0; i < ROUND_TRIPS && !stopped.getAsBoolean(); i++) {
                here.sendBytes(SHORT);
                here.recvBytesInto(SHORT);
            }
            return List.of(pipe[0].segmentName());
        } finally {
            here.close();
            other.join();
        }
    }

    /** The other side of the script, until it ends or this end closes. */
    private static void follow(Connection end) {
        try {
            for (int i = 0; i < STREAMED; i++) {
                end.recv();
            }
            for (int i = 0; i < ROUND_TRIPS; i++) {
                end.send(end.recv());
            }
            for (int i = 0; i < STREAMED; i++) {
                end.recvBytes();
            }
            for (int i = 0; i < ROUND_TRIPS; i++) {
                end.sendBytes(end.recvBytes());
            }
        } catch (EOFException e) {
            // stopped early
        } catch (IOException e) {
            // the rehearsal is an optimization only
        } finally {
            end.close();
        }
    }
}
