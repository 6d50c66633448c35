package org.multiprocessing4j.internal.pool;

import org.multiprocessing4j.pool.WorkerLostException;

/** What a worker's exit code says about its death, for the {@link WorkerLostException} of the task it ran. */
final class WorkerLoss {
    private WorkerLoss() {
    }

    static WorkerLostException of(WorkerConn w, TaskRecord t, Integer code) {
        return new WorkerLostException(w.process.pid(), code == null ? Integer.MIN_VALUE : code, t.description(),
                explain(code));
    }

    static String explain(Integer code) {
        if (code == null) {
            return null;
        }
        switch (code) {
            case -9:
                return "killed by SIGKILL: kill -9, the kernel's out-of-memory killer, or a time-out";
            case 3:
                return "the worker ran out of memory (OutOfMemoryError); give workers more heap with "
                        + "ProcessPool.builder().jvmOptions(\"-Xmx…\")";
            case -11:
                return "segmentation fault: a crash in native code";
            default:
                return code < 0 ? "ended by signal " + (-code) : "the worker's JVM exited, e.g. Runtime.halt or System.exit";
        }
    }

}
