package org.multiprocessing4j.internal.child;

import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.multiprocessing4j.connection.Connection;
import org.multiprocessing4j.internal.pipe.PipeEnd;

/**
 * The pipes' part of a ready JVM's rehearsal ({@link Rehearsals}), through a two-way pipe whose name is deleted at
 * once ({@link PipeEnd#openPrivate()}), between this thread and one of its own that follows the same script: objects
 * streamed one way, a few round trips of objects (the waits and wakes), short byte messages streamed, then round
 * trips of short byte messages received into a buffer. Messages larger than the ring are left out: each would touch
 * both rings' pages and megabytes of heap that the process then carries. Closing both ends releases the pipe; a
 * stop closes this end early, which ends the other thread at its next receive.
 */
final class PipeRehearsal implements Rehearsal {
    /** Objects, then short byte messages, streamed one way: enough calls for C2 to compile send and receive. */
    static final int STREAMED = Integer.getInteger("mp4j.rehearsal.pipeItems", 4_000);
    /** Round trips: the waits and the wakes, which spin on both sides (costly between threads of one JVM). */
    private static final int ROUND_TRIPS = 200;
    private static final int CHECK_EVERY = 32;
    private static final byte[] SHORT = new byte[64];

    @Override
    public List<String> rehearse(BooleanSupplier stopped) throws IOException, InterruptedException {
        PipeEnd[] pipe = PipeEnd.openPrivate();
        List<String> made = List.of(pipe[0].segmentName());
        Connection here = pipe[0];
        Thread other = new Thread(() -> follow(pipe[1]), "mp4j-rehearsal-pipe");
        other.setDaemon(true);
        try {
            other.start();
            for (int i = 0; i < STREAMED; i++) {
                if (i % CHECK_EVERY == 0 && stopped.getAsBoolean()) {
                    return made;
                }
                here.send(Rehearsal.item(i));
            }
            for (int i = 0; i < ROUND_TRIPS; i++) {
                if (i % CHECK_EVERY == 0 && stopped.getAsBoolean()) {
                    return made;
                }
                here.send(Rehearsal.item(i));
                here.recv();
            }
            for (int i = 0; i < STREAMED; i++) {
                if (i % CHECK_EVERY == 0 && stopped.getAsBoolean()) {
                    return made;
                }
                here.sendBytes(SHORT);
            }
            for (int i = 0; i < ROUND_TRIPS; i++) {
                if (i % CHECK_EVERY == 0 && stopped.getAsBoolean()) {
                    return made;
                }
                here.sendBytes(SHORT);
                here.recvBytesInto(SHORT);
            }
            return made;
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
