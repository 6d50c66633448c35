package org.multiprocessing4j.internal.child;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.Log;
import org.multiprocessing4j.internal.PrimitiveUse;
import org.multiprocessing4j.internal.os.CpuLoad;

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
 *         of the same parent (one at a time: RehearsalTurn, a lock in the parent's runtime directory, held to the
 *         end), and each part only once the machine has had most of two cores idle over SAMPLE_MILLIS (CpuLoad):
 *         the queue's part costs ~120 ms of CPU on two threads and the compiler's, the pipe's ~100 ms, which they
 *         take from no one; on a busy machine the JVM waits without rehearsing (sampling every SAMPLE_MILLIS), and
 *         its process runs as it would have without. A turn taken just after the one before ended (RehearsalTurn)
 *         skips its first sample if that one left a note that the machine had as much idle apart from its own
 *         rehearsal (CpuLoad.besidesThisProcess: measured over that whole rehearsal, net of itself).
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
        RehearsalTurn turn = RehearsalTurn.NONE;
        long began = 0;
        long ended = 0;
        boolean handedOver = false;
        CpuLoad own = null;
        try {
            pause(DELAY_MILLIS);
            turn = RehearsalTurn.take(() -> stopped, this::pause);
            CpuLoad load = new CpuLoad().sample();
            double wanted = wantedIdle(load.cpus());
            handedOver = turn.handedOver(wanted);
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
                turn.end(own == null ? Double.NaN : own.sample().idleBesidesSelf());
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
            turn.release();
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
