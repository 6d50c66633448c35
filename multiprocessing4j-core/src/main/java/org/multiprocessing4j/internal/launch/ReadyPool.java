package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.ProcessStartException;
import org.multiprocessing4j.internal.PrimitiveUse;
import org.multiprocessing4j.internal.child.WarmupProbe;
import org.multiprocessing4j.internal.codec.LambdaForms;
import org.multiprocessing4j.internal.codec.LambdaShape;
import org.multiprocessing4j.internal.control.Bootstrap;
import org.multiprocessing4j.internal.control.ControlMessage;
import org.multiprocessing4j.internal.os.CpuLoad;

/**
 * JVMs launched ahead of time for one {@link LaunchSpec} ({@code StartMethod.PRESTART}): each has connected back,
 * authenticated and warmed up, and waits for the one process it will run.
 *
 * <pre>
 * Overview:
 *  target:  the context's count (readyJvms, default 2), or more: as many as the program has had processes running at
 *            once (its peak so far, counted by Launchers), up to MAX_TARGET_PER_CPU per core and MAX_TARGET; none for a
 *            count of 0. Each JVM left unused for IDLE_MILLIS still ends (below), so a peak long past costs nothing
 *            once the program has gone quiet; each one kept costs ~50 MB of resident memory meanwhile. A program
 *            that starts four workers at once (two producers and two consumers) finds four rehearsed JVMs the next
 *            time, instead of two ready and two launched on demand, cold: queue_throughput 2p2c, alternating runs,
 *            5.0e6 and 5.4e6 ints per s against 1.6e6 and 1.9e6.
 *  take():   a ready JVM if there is one; else the first launch in flight, if any; else a launch in this thread.
 *            Then launches in the background until ready + in flight = target again: when a ready JVM was there
 *            and no launch was in flight (the pool is keeping up and idle), at the first moment from
 *            REFILL_DELAY_MILLIS on when the machine has IDLE_CORES idle (sampled every IDLE_SAMPLE_MILLIS), and
 *            REFILL_MAX_MILLIS later at the latest, so that the replacement's boot (~100-200 ms of a core and the
 *            compiler's) does not compete for the CPU with the process just handed out, nor with the others of the
 *            same burst (a new process pool's workers), nor with their work (in manager_dict, a replacement booting
 *            during a child's round trips was the biggest source of calls stalled for milliseconds); at once
 *            otherwise: when the caller had to wait (the pool is not keeping up), or launches are in flight
 *            already (a loop of starts, which so keeps its parallel launches).
 *  failures: a background launch that fails is dropped and stops the refilling until a launch in the caller's
 *            thread succeeds, so a broken spec reports its error once per start() and never launches in a loop.
 *  idle:     a JVM left unused for IDLE_MILLIS is ended; the pool refills at the next take().
 *  close():  ends every ready JVM (at this JVM's exit, too). A ready JVM also ends by itself when its parent dies,
 *            since its control channel closes.
 * </pre>
 */
final class ReadyPool {
    private static final long IDLE_MILLIS = 60_000;
    /** The most JVMs kept ready for a program's peak of running processes: per core, and in all. */
    private static final int MAX_TARGET_PER_CPU = 2;
    private static final int MAX_TARGET = 8;
    /**
     * How long a replacement waits when the taken JVM was ready and the pool idle: a booting JVM takes a core for
     * ~100 ms, and the processes just handed out need the CPU for their first milliseconds (receive, decode, run)
     * far more. A process pool's workers need ~15-25 ms to their first result on 2 busy cores (connect, first
     * task, lambda decoding, reply); measured there, refilling at once made it 40-120 ms.
     */
    private static final long REFILL_DELAY_MILLIS = 50;
    private static final long REFILL_MAX_MILLIS = 1_000;
    /** How long {@link #close()} waits for the JVMs it ended, to delete their runtime directories. */
    private static final long CLOSE_WAIT_MILLIS = 200;
    private static final long IDLE_SAMPLE_MILLIS = 40;
    private static final double IDLE_CORES = 1.0;
    private static final int MAX_SHAPES = 8;
    /** Keeps the bootstrap line well under its limit. */
    private static final int MAX_HINT_BYTES = 6144;
    private static final ScheduledExecutorService JANITOR = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mp4j-prestart-janitor");
        t.setDaemon(true);
        return t;
    });

    private final LaunchSpec spec;
    private final Deque<LaunchedJvm> ready = new ArrayDeque<>();
    /**
     * The shapes of the lambdas of the processes handed out, oldest first, and their encoding for new JVMs: each
     * launch adds the shape of the latest process (read from its encoding, off the starting thread's path).
     */
    private final Deque<LambdaShape> shapes = new ArrayDeque<>();
    private byte[] hints = new byte[0];
    private volatile byte[] latest;
    private byte[] remembered;
    private int target;
    /** The most processes this program has had running at once, as seen at a take(). */
    private int peak;
    /**
     * The machine's cores, read once: availableProcessors() reads the container's limits again once its cache
     * has expired, ~100 us on start()'s path between paced starts.
     */
    private final int cpus = Runtime.getRuntime().availableProcessors();
    private int inFlight;
    /** A refill waits for idle cores (see {@link #refillWhenIdle}). */
    private boolean refillPending;
    private boolean broken;
    private boolean closed;

    ReadyPool(LaunchSpec spec, int target) {
        this.spec = spec;
        this.target = target;
        JANITOR.scheduleWithFixedDelay(this::retireIdle, IDLE_MILLIS / 4, IDLE_MILLIS / 4, TimeUnit.MILLISECONDS);
    }

    /**
     * Takes a JVM for {@code process}, and remembers the shape of its lambda for the JVMs launched from now on. The
     * caller hands the JVM its process and then calls {@link #refill(boolean)} with {@link Taken#refillNow()}: the
     * replacement is scheduled after the process has left (scheduling it costs ~50 us in the interpreter).
     *
     * @param wanted how many JVMs to keep ready at least (the context's count)
     * @param running how many processes of this program run now, this one included
     * @param assign the process that the JVM will be given (a fresh JVM launched here is given it directly)
     * @return a connected JVM, and when to launch its replacement
     */
    Taken take(int wanted, int running, ControlMessage.Assign assign) {
        byte[] process = assign.process();
        if (LambdaForms.isForm(process)) {
            latest = LambdaForms.shapePrefix(process); // the shape is read by the next launch, off the caller's path
        }
        LaunchedJvm jvm = null;
        boolean waited = false;
        boolean busy;
        synchronized (this) {
            peak = Math.max(peak, running);
            target = target(wanted, peak, cpus);
            busy = inFlight > 0;
            while (jvm == null) {
                jvm = pollAlive();
                if (jvm != null || inFlight == 0 || broken) {
                    break;
                }
                waited = true;
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (jvm == null) {
            jvm = Launchers.launchFor(spec, assign);
            synchronized (this) {
                broken = false;
            }
            waited = true;
        }
        return new Taken(jvm, waited || busy);
    }

    /**
     * @param wanted the context's count
     * @param peak the most processes the program has had running at once
     * @param cpus the machine's cores
     * @return how many JVMs to keep ready: the count, or the peak up to the caps if that is more; none for a count
     *     of 0 (launches on demand only)
     */
    static int target(int wanted, int peak, int cpus) {
        if (wanted == 0) {
            return 0;
        }
        return Math.max(wanted, Math.min(peak, Math.min(MAX_TARGET, MAX_TARGET_PER_CPU * Math.max(1, cpus))));
    }

    /**
     * Launches replacements up to the target: at once, or once the machine has idle cores (from
     * {@value #REFILL_DELAY_MILLIS} to {@value #REFILL_MAX_MILLIS} ms later).
     *
     * @param now whether at once
     */
    void refill(boolean now) {
        if (now) {
            refillToTarget();
            return;
        }
        synchronized (this) {
            if (refillPending) {
                return;
            }
            refillPending = true;
        }
        long latest = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REFILL_MAX_MILLIS);
        // the first sample is the janitor's too: reading /proc/stat here, on start()'s path, cost a paced start
        // ~0.4 ms to the child's first line
        JANITOR.schedule(() -> refillWhenIdle(null, latest), REFILL_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * In the janitor: refills once the machine has had {@value #IDLE_CORES} cores idle over a sample of
     * {@value #IDLE_SAMPLE_MILLIS} ms (at once where the counters cannot be read), or at {@code latest}.
     *
     * @param load the sampler whose window just ended, or null at first (its window begins now)
     */
    private void refillWhenIdle(CpuLoad load, long latest) {
        CpuLoad sampler = load == null ? new CpuLoad().sample() : load;
        if (System.nanoTime() - latest < 0 && (load == null || sampler.idle() < IDLE_CORES)) {
            JANITOR.schedule(() -> refillWhenIdle(sampler.sample(), latest), IDLE_SAMPLE_MILLIS,
                    TimeUnit.MILLISECONDS);
            return;
        }
        synchronized (this) {
            refillPending = false;
        }
        refillToTarget();
    }

    /**
     * A JVM taken from the pool.
     *
     * @param jvm the JVM
     * @param refillNow whether its replacement is to be launched at once (the pool is not keeping up, or launches are
     *     in flight), else a little later
     */
    record Taken(LaunchedJvm jvm, boolean refillNow) {
    }

    /**
     * @return the shapes of the lambdas of the latest processes, for a JVM about to be launched: the most recent
     *     distinct ones, at most {@value #MAX_SHAPES} and {@value #MAX_HINT_BYTES} bytes
     */
    private synchronized byte[] hints() {
        byte[] process = latest;
        if (process == null || process == remembered) {
            return hints;
        }
        remembered = process;
        LambdaShape shape;
        try {
            shape = LambdaForms.peekShape(process);
        } catch (IOException e) {
            return hints;
        }
        if (shape.equals(shapes.peekLast())) {
            return hints;
        }
        shapes.remove(shape);
        shapes.addLast(shape);
        while (shapes.size() > MAX_SHAPES) {
            shapes.removeFirst();
        }
        byte[] encoded = LambdaShape.encodeAll(shapes);
        while (encoded.length > MAX_HINT_BYTES && !shapes.isEmpty()) {
            shapes.removeFirst();
            encoded = LambdaShape.encodeAll(shapes);
        }
        hints = encoded;
        return hints;
    }

    private LaunchedJvm pollAlive() {
        LaunchedJvm jvm;
        while ((jvm = ready.pollFirst()) != null) {
            if (jvm.process().isAlive()) {
                return jvm;
            }
            jvm.discard();
        }
        return null;
    }

    private void refillToTarget() {
        synchronized (this) {
            while (!closed && !broken && ready.size() + inFlight < target) {
                inFlight++;
                Thread t = new Thread(this::launchOne, "mp4j-prestart-launch");
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private void launchOne() {
        LaunchedJvm jvm = null;
        try {
            jvm = JvmLauncher.launch(spec, Bootstrap.Mode.READY,
                    WarmupProbe.forReady(hints(), PrimitiveUse.used()));
        } catch (ProcessStartException e) {
            synchronized (this) {
                broken = true;
            }
        }
        synchronized (this) {
            inFlight--;
            if (jvm != null) {
                if (closed) {
                    jvm.discard();
                } else {
                    ready.addLast(jvm);
                }
            }
            notifyAll();
        }
    }

    private synchronized void retireIdle() {
        long now = System.nanoTime();
        ready.removeIf(jvm -> {
            boolean idle = now - jvm.launchedNanos() > TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS);
            if (idle) {
                jvm.discard();
            }
            return idle;
        });
    }

    /**
     * Ends every ready JVM, and deletes their runtime directories once they have gone (killed, they cannot: a
     * rehearsal leaves bell sockets there), waiting {@value #CLOSE_WAIT_MILLIS} ms at most for that, since this runs
     * at this JVM's exit too, when the asynchronous clean-up of {@link LaunchedJvm#discard()} may never run.
     */
    void close() {
        List<LaunchedJvm> discarded = new ArrayList<>();
        synchronized (this) {
            closed = true;
            LaunchedJvm jvm;
            while ((jvm = ready.pollFirst()) != null) {
                jvm.discard();
                discarded.add(jvm);
            }
            notifyAll();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        for (LaunchedJvm jvm : discarded) {
            try {
                if (jvm.process().waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    jvm.deleteRuntimeDirectory();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
