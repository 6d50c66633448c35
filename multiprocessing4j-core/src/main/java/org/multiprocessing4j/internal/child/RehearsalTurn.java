package org.multiprocessing4j.internal.child;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.multiprocessing4j.internal.resource.RuntimeDir;

/**
 * A ready JVM's turn to rehearse among the ready JVMs of the same parent ({@link Rehearsals}): a lock on
 * {@value #FILE} in the parent's runtime directory, held until the rehearsal ends (released by the OS if this JVM
 * dies), and the note a finished turn leaves in that file for the next one.
 *
 * <pre>
 * Why turns: rehearsing at once, several JVMs each took two to three times as long, and a burst's replacements were
 * still rehearsing when the parent's processes got busy.
 * The note (16 bytes at the file's start): when the turn ended (System.nanoTime, comparable across processes) and
 * the cores that were idle beside its rehearsal, measured over the whole rehearsal net of its own ticks
 * (CpuLoad.besidesThisProcess). A turn taken within HAND_OVER_MILLIS of that trusts it instead of sampling the load
 * itself: a sample of its own cost each turn 30 ms, and a burst's four replacements, one after another, had ~40 ms
 * between rehearsals; traced in queue_throughput's 2p2c, the last one was still rehearsing when its process came.
 * The next JVM in line takes the turn within a poll (POLL_MILLIS) of its release.
 * </pre>
 */
final class RehearsalTurn {
    /** The file whose lock is the turn, in the parent's runtime directory. */
    static final String FILE = "rehearsal.turn";
    private static final long POLL_MILLIS = 2;
    /** How recent the note of the turn before must be to be trusted (a property may say otherwise). */
    private static final long HAND_OVER_MILLIS = Long.getLong("mp4j.rehearsal.handOverMillis", 20);
    private static final int NOTE_BYTES = 16;
    /** No turn: no runtime directory of the parent (the rehearsal then goes on alone), or the process came first. */
    static final RehearsalTurn NONE = new RehearsalTurn(null);

    /** How a waiter pauses: returns early when its process arrives. */
    interface Pause {
        void millis(long millis) throws InterruptedException;
    }

    private final FileChannel file;

    private RehearsalTurn(FileChannel file) {
        this.file = file;
    }

    /**
     * Waits for this JVM's turn.
     *
     * @param stopped whether the process has arrived (then there is no turn to wait for)
     * @param pause how to wait between tries
     * @return the turn, or {@link #NONE}
     */
    static RehearsalTurn take(BooleanSupplier stopped, Pause pause) throws InterruptedException {
        Path dir = parentRuntimeDir();
        if (dir == null) {
            return NONE;
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
        try {
            while (!stopped.getAsBoolean()) {
                if (ch.tryLock() != null) {
                    return new RehearsalTurn(ch);
                }
                pause.millis(POLL_MILLIS);
            }
        } catch (IOException | RuntimeException e) {
            // no turn to wait for, then
        }
        new RehearsalTurn(ch).release();
        return NONE;
    }

    /**
     * @param wanted the idle cores this rehearsal needs
     * @return whether the turn may begin at once: the turn before it ended within {@value #HAND_OVER_MILLIS} ms,
     *     having found at least {@code wanted} cores idle apart from its own rehearsal
     */
    boolean handedOver(double wanted) {
        if (file == null) {
            return false;
        }
        ByteBuffer note = ByteBuffer.allocate(NOTE_BYTES);
        try {
            while (note.hasRemaining() && file.read(note, note.position()) > 0) {
                // a short read goes on
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        if (note.hasRemaining()) {
            return false;
        }
        long age = System.nanoTime() - note.getLong(0);
        return age >= 0 && age <= TimeUnit.MILLISECONDS.toNanos(HAND_OVER_MILLIS) && note.getDouble(8) >= wanted;
    }

    /**
     * Ends a turn whose rehearsal finished: leaves the note that {@link #handedOver} reads (it stays until the next
     * turn's), and releases the turn.
     *
     * @param idleBesidesSelf the cores idle beside this rehearsal, or NaN if not known (then no note)
     */
    void end(double idleBesidesSelf) {
        if (file != null && !Double.isNaN(idleBesidesSelf)) {
            ByteBuffer note = ByteBuffer.allocate(NOTE_BYTES).putLong(0, System.nanoTime())
                    .putDouble(8, idleBesidesSelf);
            try {
                while (note.hasRemaining()) {
                    file.write(note, note.position());
                }
            } catch (IOException | RuntimeException e) {
                // the next turn samples the load itself
            }
        }
        release();
    }

    /** Releases the turn (again: nothing). */
    void release() {
        if (file != null) {
            try {
                file.close(); // releases the lock
            } catch (IOException e) {
                // the lock goes with this JVM at the latest
            }
        }
    }

    /** @return the runtime directory of this JVM's parent, or null if it has none (or it cannot be listed) */
    private static Path parentRuntimeDir() {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        try {
            return parent.isEmpty() ? null : RuntimeDir.directoryOf(RuntimeDir.baseDirectory(), parent.get().pid());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
