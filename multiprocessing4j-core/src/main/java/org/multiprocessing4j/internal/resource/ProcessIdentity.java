package org.multiprocessing4j.internal.resource;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A process as the OS knows it, told apart from a later process that reuses its pid: the pid and the start time in
 * milliseconds ({@link ProcessHandle.Info#startInstant()}, which every JVM on the machine derives from the same
 * boot time, so two JVMs agree on it). A start time of 0 means "unknown" and matches any process with that pid.
 */
public final class ProcessIdentity {
    private static final long SELF_PID = ProcessHandle.current().pid();
    private static final long SELF_START = startMillis(ProcessHandle.current());
    private static final ThreadLocal<Map<List<Long>, Boolean>> MEMO = new ThreadLocal<>();

    private ProcessIdentity() {
    }

    /** @return this JVM's pid */
    public static long selfPid() {
        return SELF_PID;
    }

    /** @return this JVM's start time in milliseconds since the epoch, or 0 where the OS does not tell */
    public static long selfStart() {
        return SELF_START;
    }

    /**
     * @param p a process
     * @return its start time in milliseconds since the epoch, or 0 where the OS does not tell
     */
    public static long startMillis(ProcessHandle p) {
        return p.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /**
     * Whether the process that had {@code pid} and started at {@code start} still runs. A pid that now belongs to a
     * process started at another time counts as dead. Costs a look into {@code /proc} on Linux (some microseconds):
     * keep it off hot paths.
     *
     * @param pid a pid; 0 or less is never alive
     * @param start its start time in milliseconds, or 0 for "any process with this pid"
     * @return whether it is alive
     */
    public static boolean isAlive(long pid, long start) {
        if (pid <= 0) {
            return false;
        }
        if (pid == SELF_PID) {
            return start == 0 || start == SELF_START;
        }
        Map<List<Long>, Boolean> memo = MEMO.get();
        if (memo == null) {
            return lookUp(pid, start);
        }
        List<Long> key = List.of(pid, start);
        Boolean known = memo.get(key); // no lambda: its first linkage would cost the exit hook more than it saves
        if (known == null) {
            known = lookUp(pid, start);
            memo.put(key, known);
        }
        return known;
    }

    /**
     * Runs {@code body} with this thread's answers of {@link #isAlive} remembered until it returns: an exit hook
     * asks about the same creator (the parent) once per segment, and each answer read {@code /proc} and the
     * process's owner again (~1 ms interpreted, at a fresh worker's exit, in the middle of the other workers' items).
     * A process found alive may end meanwhile; the caller's decisions must hold up to that (a segment not reclaimed
     * now is reclaimed by a later sweep or by its creator's own exit).
     *
     * @param body what to run
     */
    public static void rememberingLiveness(Runnable body) {
        MEMO.set(new HashMap<>());
        try {
            body.run();
        } finally {
            MEMO.remove();
        }
    }

    private static boolean lookUp(long pid, long start) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        if (start == 0) {
            return true;
        }
        long actual = startMillis(h.get());
        return actual == 0 || actual == start;
    }
}
