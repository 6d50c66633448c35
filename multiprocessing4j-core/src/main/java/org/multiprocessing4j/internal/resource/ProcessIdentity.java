package org.multiprocessing4j.internal.resource;

import java.time.Instant;
import java.util.Optional;

/**
 * A process as the OS knows it, told apart from a later process that reuses its pid: the pid and the start time in
 * milliseconds ({@link ProcessHandle.Info#startInstant()}, which every JVM on the machine derives from the same
 * boot time, so two JVMs agree on it). A start time of 0 means "unknown" and matches any process with that pid.
 */
public final class ProcessIdentity {
    private static final long SELF_PID = ProcessHandle.current().pid();
    private static final long SELF_START = startMillis(ProcessHandle.current());

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
