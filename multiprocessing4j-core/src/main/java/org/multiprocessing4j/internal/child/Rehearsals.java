package org.multiprocessing4j.internal.child;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.Log;
import org.multiprocessing4j.internal.PrimitiveUse;
import org.multiprocessing4j.internal.os.CpuLoad;
import org.multiprocessing4j.internal.resource.RuntimeDir;

/**
 * What a JVM started ahead of time does while it waits for its process: it rehearses the per-item paths of the
 * primitives its parent has used (a queue's put and take; a pipe's send and receive, lightly) between threads of
 * its own, so that the process it is given finds them loaded and compiled, instead of paying inside its own work
 * for their first use, their first thousands of interpreted and profiled calls and their compilation.
 *
 * <pre>
 * Overview.
 *  what   the parts its parent asked for (PrimitiveUse bits in the bootstrap line: what the parent has made or
 *         attached so far): QueueRehearsal (until compiled), PipeRehearsal and PoolRehearsal (a first use only).
 *         Real primitives in real shared memory, a pool worker's session over a real socket. A program that has
 *         used none gets no rehearsal
 *  when   in a thread of its own, at least DELAY_MILLIS after the JVM is ready, in its turn among the ready JVMs
 *         of the same parent (one at a time: a lock on TURN_FILE in the parent's runtime directory, held to the
 *         end), and each part only once the machine has had most of two cores idle over SAMPLE_MILLIS (CpuLoad):
 *         the queue's part costs ~120 ms of CPU on two threads and the compiler's, the pipe's ~100 ms, which they
 *         take from no one; on a busy machine the JVM waits without rehearsing (sampling every SAMPLE_MILLIS), and
 *         its process runs as it would have without. A turn taken just after the one before ended (HAND_OVER_MILLIS)
 *         skips its first sample if that one left a note that the machine had as much idle apart from its own
 *         rehearsal (CpuLoad.besidesThisProcess: measured over that whole rehearsal, net of itself)
 *         Why turns: the four replacements of a burst (two producers, two consumers) that all found the machine
 *         idle at once rehearsed together, each two to three times as long, and the idle samples of 100 ms then
 *         spaced the next ones out: traced in queue_throughput's 2p2c, the last ones were still rehearsing, or had
 *         not begun, when the next run's workers (those same JVMs) started 800 ms after the burst. In turns, with
 *         samples of 30 ms, the four finished one after another by ~760 ms, and 2p2c ran 5.9e6 / 5.7e6 ints per s
 *         (medians of four invocations) against 3.0e6 / 2.9e6 (alternating batches).
 *         The threads keep the normal priority: a process that arrives must find them stopped within
 *         milliseconds, which threads under SCHED_IDLE on a busy machine cannot promise
 *  stop   when the process arrives (end()): a part looks at the flag every few dozen items, ends its threads and
 *         deletes its segments; end() waits for that, at most END_WAIT_MILLIS (a part that hangs is left to run
 *         beside the process, as a daemon thread, and logged)
 *  state  the process finds nothing of it but compiled code and loaded classes: no segment, no thread, no item,
 *         and PrimitiveUse as it was (its own children rehearse what it uses); ThreadBell and ThreadSlots reclaim
 *         the entries of the ended threads as for any thread
 *  off    -Dmp4j.rehearsal=false (in a context's or pool's JVM options, or inherited from the parent)
 * </pre>
 */
public final class Rehearsals {
    static final long DELAY_MILLIS = Long.getLong("mp4j.rehearsal.delayMillis", 30);
    private static final long SAMPLE_MILLIS = 30;
    /** The file whose lock is a ready JVM's turn to rehearse, in its parent's runtime directory. */
    static final String TURN_FILE = "rehearsal.turn";
    private static final long TURN_POLL_MILLIS = 2;
    /**
     * How recent the note of the turn before must be for this turn to trust it instead of sampling the load itself
     * (see {@link #quietHandOver}); the next JVM in line takes the turn within a poll of its release.
     */
    private static final long HAND_OVER_MILLIS = Long.getLong("mp4j.rehearsal.handOverMillis", 20);
    /** The note a turn leaves in the turn file: when it was written and the cores idle beside that rehearsal. */
    private static final int NOTE_BYTES = 16;
    private static final long END_WAIT_MILLIS = 2_000;
    private static final String QUEUE_PART = "org.multiprocessing4j.queue.QueueRehearsal";
    private static final String POOL_PART = "org.multiprocessing4j.internal.pool.worker.PoolRehearsal";
    private static final Rehearsals NONE = new Rehearsals(0);
    /** What the last rehearsal of this JVM did, for tests. */
    private static volatile Outcome last;

    private final int primitives;
    private final Thread thread;
    private volatile boolean stopped;

    private Rehearsals(int primitives) {
        this.primitives = primitives;
        this.thread = primitives == 0 ? null : new Thread(this::run, "mp4j-rehearsal");
    }

    /** What one rehearsal did. */
    public static final class Outcome {
        private final int primitives;
        private final List<String> segments;
        private final boolean finished;
        private final long began;
        private final long ended;

        private final boolean handedOver;

        Outcome(int primitives, List<String> segments, boolean finished, long began, long ended,
                boolean handedOver) {
            this.primitives = primitives;
            this.segments = Collections.unmodifiableList(segments);
            this.finished = finished;
            this.began = began;
            this.ended = ended;
            this.handedOver = handedOver;
        }

        /**
         * @return whether it began without a load sample of its own, on the word of the turn before it (which found
         *     the machine idle apart from itself, and ended just now)
         */
        public boolean handedOver() {
            return handedOver;
        }

        /** @return {@link System#nanoTime()} when its first part began (0 if none did), comparable across processes */
        public long began() {
            return began;
        }

        /** @return {@link System#nanoTime()} when it ended (gave up its turn) */
        public long ended() {
            return ended;
        }

        /** @return the primitives it was asked to rehearse ({@link PrimitiveUse} bits) */
        public int primitives() {
            return primitives;
        }

        /** @return the names of the segments it made (queues, pipes), deleted by now */
        public List<String> segments() {
            return segments;
        }

        /** @return whether every part ran to its end before the process arrived */
        public boolean finished() {
            return finished;
        }
    }

    /** @return what this JVM's rehearsal did, or null if it had none */
    public static Outcome last() {
        return last;
    }

    /**
     * Starts rehearsing in the background, unless switched off or there is nothing to rehearse.
     *
     * @param primitives the primitives to rehearse ({@link PrimitiveUse} bits)
     * @return the rehearsal, to {@link #end()} when the process arrives
     */
    static Rehearsals begin(int primitives) {
        if (primitives == 0 || "false".equals(System.getProperty("mp4j.rehearsal"))) {
            return NONE;
        }
        Rehearsals r = new Rehearsals(primitives);
        r.thread.setDaemon(true);
        r.thread.start();
        return r;
    }

    /** Stops the rehearsal and waits until its threads have ended and its segments are gone. */
    void end() {
        if (thread == null) {
            return;
        }
        stopped = true;
        synchronized (this) {
            notifyAll();
        }
        try {
            thread.join(END_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            Log.event("ready JVM", "the rehearsal of the library's paths did not end within " + END_WAIT_MILLIS
                    + " ms of the process's arrival; it goes on beside the process");
        }
    }

    private void run() {
        int usedBefore = PrimitiveUse.used();
        List<String> segments = new ArrayList<>();
        boolean finished = false;
        FileChannel turn = null;
        long began = 0;
        long ended = 0;
        boolean handedOver = false;
        CpuLoad own = null;
        try {
            pause(DELAY_MILLIS);
            turn = takeTurn();
            CpuLoad load = new CpuLoad().sample();
            double wanted = wantedIdle(load.cpus());
            handedOver = quietHandOver(turn, wanted);
            boolean skipSample = handedOver;
            List<Rehearsal> parts = new ArrayList<>();
            if ((primitives & PrimitiveUse.QUEUE) != 0) {
                parts.add(part(QUEUE_PART));
            }
            if ((primitives & PrimitiveUse.PIPE) != 0) {
                parts.add(new PipeRehearsal());
            }
            if ((primitives & PrimitiveUse.POOL) != 0) {
                parts.add(part(POOL_PART));
            }
            for (Rehearsal part : parts) {
                while (!stopped && !skipSample) {
                    pause(SAMPLE_MILLIS);
                    double idle = load.sample().idle();
                    if (Double.isNaN(idle) || idle >= wanted) {
                        break;
                    }
                }
                skipSample = false; // a later part samples again
                if (stopped) {
                    break;
                }
                if (began == 0) {
                    began = System.nanoTime();
                    own = CpuLoad.besidesThisProcess().sample();
                }
                segments.addAll(part.rehearse(() -> stopped));
            }
            finished = !stopped;
            if (finished) {
                ended = System.nanoTime();
                endTurn(turn, own);
                turn = null;
                // the rehearsal's buffers are garbage now: a collection unmaps its rings (their pages leave the
                // process's resident memory) before a process comes; after the turn, which the next JVM in line
                // takes meanwhile (the collection takes a few ms)
                System.gc();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | LinkageError e) {
            // an optimization only: the process runs the same without it
            Log.event("ready JVM", "the rehearsal of the library's paths failed: " + e);
        } finally {
            ended = ended == 0 ? System.nanoTime() : ended;
            closeQuietly(turn);
            PrimitiveUse.restore(usedBefore);
            last = new Outcome(primitives, segments, finished, began, ended, handedOver);
        }
    }

    /**
     * @param cpus the machine's cores
     * @return the cores a rehearsal should find idle: most of two (it runs two threads and the compiler), or one;
     *     the system property mp4j.rehearsal.idleCores overrides it (0: rehearse whatever the load)
     */
    private static double wantedIdle(int cpus) {
        String own = System.getProperty("mp4j.rehearsal.idleCores");
        if (own != null) {
            try {
                return Double.parseDouble(own);
            } catch (NumberFormatException e) {
                // the default, then
            }
        }
        return cpus >= 2 ? 1.6 : 0.8;
    }

    /**
     * Waits for this JVM's turn among the ready JVMs of the same parent: a lock on a file in the parent's runtime
     * directory, held until the rehearsal ends (released by the OS if this JVM dies). Rehearsing at once, several
     * JVMs each took two to three times as long, and a burst's replacements were still rehearsing when the
     * parent's processes got busy.
     *
     * @return the locked file, or null if there is no such directory (the rehearsal then goes on alone) or the
     *     process arrived first
     */
    private FileChannel takeTurn() throws InterruptedException {
        Path dir = parentRuntimeDir();
        if (dir == null) {
            return null;
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(dir.resolve(TURN_FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        try {
            while (!stopped) {
                if (ch.tryLock() != null) {
                    return ch;
                }
                pause(TURN_POLL_MILLIS);
            }
        } catch (IOException | RuntimeException e) {
            // no turn to wait for, then
        }
        closeQuietly(ch);
        return null;
    }

    /**
     * Whether the turn just taken may begin at once: the turn before it ended within {@value #HAND_OVER_MILLIS} ms
     * (a property may say otherwise), having found the machine idle enough apart from its own rehearsal. Why: a
     * sample of its own costs each turn SAMPLE_MILLIS, and a burst's four replacements, one after another, had
     * ~40 ms between rehearsals; traced in queue_throughput's 2p2c, the last one was still rehearsing when its
     * process came. The turn before measured the same thing over its whole rehearsal, net of itself, and the next
     * JVM in line takes the turn within a poll.
     *
     * @param turn the locked turn file, or null
     * @param wanted the idle cores this rehearsal needs
     */
    private static boolean quietHandOver(FileChannel turn, double wanted) {
        if (turn == null) {
            return false;
        }
        ByteBuffer note = ByteBuffer.allocate(NOTE_BYTES);
        try {
            while (note.hasRemaining() && turn.read(note, note.position()) > 0) {
                // a short read goes on
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        if (note.hasRemaining()) {
            return false;
        }
        long written = note.getLong(0);
        double idle = note.getDouble(8);
        long age = System.nanoTime() - written;
        return age >= 0 && age <= TimeUnit.MILLISECONDS.toNanos(HAND_OVER_MILLIS) && idle >= wanted;
    }

    /**
     * Ends a turn whose rehearsal finished: leaves the note that {@link #quietHandOver} reads (it stays until the next
     * turn's), and releases the turn.
     *
     * @param own the sampler begun with the rehearsal, or null if none began
     */
    private static void endTurn(FileChannel turn, CpuLoad own) {
        double idleBesidesSelf = own == null ? Double.NaN : own.sample().idleBesidesSelf();
        if (turn != null && !Double.isNaN(idleBesidesSelf)) {
            ByteBuffer note = ByteBuffer.allocate(NOTE_BYTES).putLong(0, System.nanoTime())
                    .putDouble(8, idleBesidesSelf);
            try {
                while (note.hasRemaining()) {
                    turn.write(note, note.position());
                }
            } catch (IOException | RuntimeException e) {
                // the next turn samples the load itself
            }
        }
        closeQuietly(turn);
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

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close(); // releases the lock
            } catch (IOException e) {
                // the lock goes with this JVM at the latest
            }
        }
    }

    /** Waits {@code millis}, or less if the process arrives. */
    private synchronized void pause(long millis) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (long left = millis; left > 0 && !stopped;
                left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())) {
            wait(left);
        }
    }

    /** A part whose class lives with the primitive it rehearses (the queue's keeps the ring to its package). */
    private static Rehearsal part(String className) throws ReflectiveOperationException {
        Constructor<?> c = Class.forName(className, true, Rehearsals.class.getClassLoader())
                .getDeclaredConstructor();
        c.setAccessible(true);
        return (Rehearsal) c.newInstance();
    }
}
