package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.ProcessStartException;
import org.multiprocessing4j.internal.Log;
import org.multiprocessing4j.internal.child.WarmupProbe;
import org.multiprocessing4j.internal.codec.LambdaForms;
import org.multiprocessing4j.internal.control.Bootstrap;
import org.multiprocessing4j.internal.control.ControlMessage;
import org.multiprocessing4j.internal.os.SelfPid;

/**
 * Starts children, by either start method, and cleans up after them when this JVM exits: daemon children are
 * terminated (SIGTERM, then SIGKILL after {@value #DAEMON_GRACE_MILLIS} ms) and JVMs made ready ahead of time are
 * ended. The hook never waits longer than that, so Ctrl-C always ends the program.
 */
public final class Launchers {
    private static final long DAEMON_GRACE_MILLIS = 1000;
    private static final Set<ChildSupervisor> DAEMONS = ConcurrentHashMap.newKeySet();
    private static final Map<LaunchSpec, ReadyPool> POOLS = new ConcurrentHashMap<>();
    private static final int MAX_TASK_CLASSES = 64;
    private static final Set<String> TASK_CLASSES = ConcurrentHashMap.newKeySet();
    private static volatile LatestPool latest;
    /** The processes started here that have not ended (ReadyPool's target follows their peak). */
    private static final AtomicInteger RUNNING = new AtomicInteger();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Launchers::atExit, "mp4j-exit"));
    }

    private Launchers() {
    }

    /**
     * Starts a child: takes a JVM (a ready one, or a fresh one) and hands it the process.
     *
     * @param spec how to launch the JVM
     * @param readyJvms for {@code PRESTART}, how many JVMs to keep ready; -1 for {@code SPAWN}
     * @param process the serialized process
     * @param name the child's name
     * @param daemon whether the child is a daemon
     * @param authKey the child's auth key
     * @param parentName this process's name
     * @return the supervisor of the running child
     * @throws ProcessStartException if no JVM could be started
     */
    public static ChildSupervisor start(LaunchSpec spec, int readyJvms, byte[] process, String name,
                                        boolean daemon, byte[] authKey, String parentName) {
        long t0 = System.nanoTime();
        ControlMessage.Assign assign = new ControlMessage.Assign(process, name, daemon, authKey, parentName,
                SelfPid.get());
        int running = RUNNING.incrementAndGet(); // given back by ended(), or below if no child runs
        boolean started = false;
        try {
            ChildSupervisor supervisor = start(spec, readyJvms, assign, running, t0);
            started = true;
            return supervisor;
        } finally {
            if (!started) {
                RUNNING.decrementAndGet();
            }
        }
    }

    private static ChildSupervisor start(LaunchSpec spec, int readyJvms, ControlMessage.Assign assign, int running,
                                         long t0) {
        String name = assign.name();
        boolean daemon = assign.daemon();
        String parentName = assign.parentName();
        for (int attempt = 0; ; attempt++) {
            ReadyPool pool = readyJvms < 0 || attempt > 0 ? null : pool(spec, readyJvms);
            ReadyPool.Taken taken = pool == null ? null : pool.take(readyJvms, running, assign);
            LaunchedJvm jvm = taken == null ? launchFor(spec, assign) : taken.jvm();
            try {
                if (!jvm.assigned()) {
                    jvm.channel().send(assign);
                    // the JVM's reader wakes from a socket write: a "sync" wake-up, queued on this core, behind
                    // this thread's bookkeeping below (the refill, the supervisor and its reader thread); yield it
                    // the core (see WaitQueue.yieldIfRang). Paced starts, 5 alternating runs of 20: median
                    // 0.69-0.74 ms to the task's first line, against 0.83-0.89 ms without
                    Thread.yield();
                }
            } catch (IOException e) {
                if (pool != null) {
                    pool.refill(taken.refillNow());
                }
                jvm.discard();
                if (attempt > 0) {
                    throw new ProcessStartException("the child JVM closed its control channel before receiving "
                            + "its process: pid=" + jvm.process().pid() + " " + e, e);
                }
                continue;
            }
            if (pool != null) {
                pool.refill(taken.refillNow());
            }
            ChildSupervisor supervisor = new ChildSupervisor(jvm, daemon, name, parentName);
            if (daemon) {
                DAEMONS.add(supervisor);
            }
            supervisor.startReading();
            Log.event(parentName, "started " + name + " pid=" + supervisor.pid() + " method="
                    + (readyJvms < 0 ? "spawn" : "prestart") + " daemon=" + daemon + " in "
                    + (System.nanoTime() - t0) / 1000 + " us");
            return supervisor;
        }
    }

    /**
     * Launches a fresh JVM for one process: given the process in its bootstrap line when it fits there, so that the
     * child runs it while it connects back (the first Unix-domain socket and the hand-shake of a fresh JVM cost it
     * ~10-15 ms); else given a probe to warm up with while it connects, and the process after the hand-shake.
     *
     * @param spec how to launch
     * @param assign the process and its particulars
     * @return the JVM, {@link LaunchedJvm#assigned()} when it was given the process
     */
    static LaunchedJvm launchFor(LaunchSpec spec, ControlMessage.Assign assign) {
        noteTaskClass(assign.process());
        byte[] direct = ControlMessage.encode(assign);
        return Bootstrap.fitsDirect(direct) ? JvmLauncher.launch(spec, Bootstrap.Mode.DIRECT, direct)
                : JvmLauncher.launch(spec, Bootstrap.Mode.SPAWN, WarmupProbe.forSpawn(assign.process()));
    }

    /**
     * Remembers the capturing class of a process's lambda target for the class-data-sharing training, which archives
     * it: a fresh JVM then loads it ready-parsed instead of opening the class path's jars for it on the way to the
     * task's first line (~4 ms for a jar of a few hundred entries, whose central directory it reads interpreted).
     */
    private static void noteTaskClass(byte[] process) {
        if (!LambdaForms.isForm(process) || TASK_CLASSES.size() >= MAX_TASK_CLASSES) {
            return;
        }
        try {
            TASK_CLASSES.add(LambdaForms.peekShape(LambdaForms.shapePrefix(process)).capturingClass().replace('/', '.'));
        } catch (IOException e) {
            // a corrupt form fails where it is decoded
        }
    }

    /** @return the capturing classes of the lambda targets of the fresh JVMs launched so far (at most 64) */
    static List<String> taskClasses() {
        return List.copyOf(TASK_CLASSES);
    }

    /**
     * The ready JVMs of {@code spec}: found by identity when it is the spec of the latest start (a context gives the
     * same spec again), else by value (a record's hash and equals over every option, ~0.1 ms in the interpreter).
     */
    private static ReadyPool pool(LaunchSpec spec, int readyJvms) {
        LatestPool last = latest;
        if (last != null && last.spec() == spec) {
            return last.pool();
        }
        ReadyPool pool = POOLS.computeIfAbsent(spec, s -> new ReadyPool(s, readyJvms));
        latest = new LatestPool(spec, pool);
        return pool;
    }

    /** The ready JVMs of the latest start's spec. */
    private record LatestPool(LaunchSpec spec, ReadyPool pool) {
    }

    static void ended(ChildSupervisor supervisor) {
        DAEMONS.remove(supervisor);
        RUNNING.decrementAndGet();
    }

    private static void atExit() {
        JvmLauncher.abortAll();
        POOLS.values().forEach(ReadyPool::close);
        List<ChildSupervisor> daemons = new ArrayList<>(DAEMONS);
        daemons.forEach(ChildSupervisor::terminate);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DAEMON_GRACE_MILLIS);
        for (ChildSupervisor s : daemons) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !s.awaitExit(java.time.Duration.ofNanos(left))) {
                    s.kill();
                }
            } catch (InterruptedException e) {
                s.kill();
            }
        }
    }
}
