package org.multiprocessing4j.pool;

/**
 * A pool task failed because the worker process running it died: killed ({@code kill -9}), halted
 * ({@code Runtime.halt}), out of memory, or crashed. Only that task fails; the pool replaces the worker and goes on.
 * Python's {@code Pool} hangs forever in this case.
 */
public class WorkerLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long pid;
    private final int exitCode;
    private final String task;

    /**
     * @param pid the worker's pid
     * @param exitCode the worker's exit code as {@link org.multiprocessing4j.ChildProcess#exitCode()} reports it
     *     ({@code -N} for a death by signal N)
     * @param task a description of the task that was lost
     * @param explanation what the exit code means, or {@code null}
     */
    public WorkerLostException(long pid, int exitCode, String task, String explanation) {
        super("worker process died while running " + task + ": pid=" + pid + " "
                + (exitCode < 0 ? "signal=" + (-exitCode) + " exitCode=" + exitCode : "exitCode=" + exitCode)
                + (explanation == null ? "" : " (" + explanation + ")"));
        this.pid = pid;
        this.exitCode = exitCode;
        this.task = task;
    }

    /** @return the pid of the worker that died */
    public long pid() {
        return pid;
    }

    /** @return its exit code: {@code -N} after a death by signal N (so {@code -9} after {@code kill -9}) */
    public int exitCode() {
        return exitCode;
    }

    /** @return the signal that ended the worker, or 0 if it exited with a code */
    public int signal() {
        return exitCode < 0 ? -exitCode : 0;
    }

    /** @return a description of the task that was lost, such as {@code "apply#12 (Tasks$$Lambda$42)"} */
    public String task() {
        return task;
    }
}
